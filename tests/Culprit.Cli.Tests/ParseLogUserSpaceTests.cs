using System.CommandLine;
using System.Text.Json;
using Culprit.Cli.Commands;

namespace Culprit.Cli.Tests;

/// <summary><c>culprit parse-log</c> on a program's output: ClusterFuzz's fields, and <c>--kind</c> forcing a format.</summary>
public sealed class ParseLogUserSpaceTests : IDisposable
{
    private const string AsanLog = """
        =================================================================
        ==4242==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000054 at pc 0x55d1 bp 0x7ffd sp 0x7ffc
        READ of size 4 at 0x602000000054 thread T0
            #0 0x55d1 in history_add /tmp/calc/calc.c:41:17
            #1 0x55d2 in main /tmp/calc/calc.c:80:9
            #2 0x7f01 in __libc_start_main (/lib/x86_64-linux-gnu/libc.so.6+0x29d8f)

        0x602000000054 is located 0 bytes after 4-byte region [0x602000000050,0x602000000054)
        allocated by thread T0 here:
            #0 0x7f02 in malloc (/lib/x86_64-linux-gnu/libasan.so.8+0xd9888)
            #1 0x55d3 in history_new /tmp/calc/calc.c:20:9

        SUMMARY: AddressSanitizer: heap-buffer-overflow /tmp/calc/calc.c:41:17 in history_add
        ==4242==ABORTING

        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("culprit-parse-log-us-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        string path = Path.Combine(_dir, "out.txt");
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Exit, string Output) Invoke(params string[] args)
    {
        var root = new RootCommand { ParseLogCommand.Create() };
        var output = new StringWriter();
        int exit = root.Parse(["parse-log", .. args], new ParserConfiguration())
            .Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        return (exit, output.ToString());
    }

    [Fact]
    public void A_sanitizer_report_is_read_as_user_space_with_ClusterFuzz_fields()
    {
        var (exit, output) = Invoke("--json", Write(AsanLog));

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("crashed").GetBoolean());
        Assert.Equal("userspace", root.GetProperty("kind").GetString());
        Assert.Equal("heap-buffer-overflow in history_add", root.GetProperty("title").GetString());
        Assert.Equal("Heap-buffer-overflow\nREAD 4", root.GetProperty("crash_type").GetString());
        Assert.Equal(["history_add"], root.GetProperty("crash_state").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal("0x602000000054", root.GetProperty("crash_address").GetString());
        Assert.True(root.GetProperty("security").GetBoolean());
    }

    [Fact]
    public void Kind_kernel_does_not_read_user_space_reports()
    {
        var (exit, output) = Invoke("--json", "--kind", "kernel", Write(AsanLog));

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.False(doc.RootElement.GetProperty("crashed").GetBoolean());
    }

    [Fact]
    public void The_text_form_lists_type_state_and_security()
    {
        var (_, output) = Invoke("--kind", "userspace", Write(AsanLog));

        Assert.StartsWith("TITLE: heap-buffer-overflow in history_add\nTYPE: Heap-buffer-overflow READ 4\nSTATE: history_add\nADDRESS: 0x602000000054\nSECURITY: Y\n", output, StringComparison.Ordinal);
    }
}
