using System.CommandLine;
using System.Text.Json;
using Culprit.Cli.Commands;

namespace Culprit.Cli.Tests;

/// <summary><c>culprit parse-log FILE... [--json]</c> on console logs written to temporary files.</summary>
public sealed class ParseLogCommandTests : IDisposable
{
    private const string CrashLog = """
        [   10.000000] random: crng init done
        [   10.000002] BUG: KASAN: use-after-free in ip6_send_skb+0x2f5/0x330 net/ipv6/ip6_output.c:1748
        [   10.000003] Read of size 8 at addr ffff88004fab1858 by task syz-executor0/30168
        [   10.000005] Call Trace:
        [   10.000007]  dump_stack+0x292/0x395 lib/dump_stack.c:52
        [   10.000008]  kasan_report+0x230/0x340 mm/kasan/report.c:408
        [   10.000010]  ip6_send_skb+0x2f5/0x330 net/ipv6/ip6_output.c:1748
        [   10.000011]  ip6_push_pending_frames+0xb8/0xe0 net/ipv6/ip6_output.c:1763

        """;

    private const string QuietLog = "[    1.000000] Linux version 6.1.0\n[    2.000000] syzkaller login: root\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("culprit-parse-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand { ParseLogCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = root.Parse(["parse-log", .. args], new ParserConfiguration())
            .Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void A_crash_is_printed_with_its_title_type_guilty_file_and_report()
    {
        var (exit, output, _) = Invoke(Write("console.log", CrashLog));
        Assert.Equal(0, exit);
        var lines = output.Split('\n');
        Assert.Equal("TITLE: KASAN: use-after-free Read in ip6_send_skb", lines[0]);
        Assert.Equal("TYPE: KASAN-USE-AFTER-FREE-READ", lines[1]);
        Assert.Equal("FILE: net/ipv6/ip6_output.c", lines[2]);
        Assert.Contains("\nBUG: KASAN: use-after-free in ip6_send_skb", output, StringComparison.Ordinal);
        Assert.DoesNotContain("CORRUPTED", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_without_a_crash_prints_no_crash_and_succeeds()
    {
        var (exit, output, _) = Invoke(Write("quiet.log", QuietLog));
        Assert.Equal(0, exit);
        Assert.Equal("no crash", output.Trim());
    }

    [Fact]
    public void A_corrupted_report_says_so()
    {
        var (_, output, _) = Invoke(Write("gpf.log", "[    1.000000] general protection fault: 0000 [#1] SMP KASAN\n"));
        Assert.Contains("\nCORRUPTED: Y\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_files_each_get_a_header_line()
    {
        string crash = Write("a.log", CrashLog), quiet = Write("b.log", QuietLog);
        var (exit, output, _) = Invoke(crash, quiet);
        Assert.Equal(0, exit);
        Assert.StartsWith($"== {crash}\nTITLE: ", output, StringComparison.Ordinal);
        Assert.Contains($"== {quiet}\nno crash\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_file_gives_a_one_line_error_and_a_non_zero_exit()
    {
        string missing = Path.Combine(_dir, "missing.log");
        var (exit, _, error) = Invoke(missing);
        Assert.NotEqual(0, exit);
        var lines = error.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith($"culprit: cannot read {missing}: ", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_is_named_as_one()
    {
        var (exit, _, error) = Invoke(_dir);
        Assert.Equal(1, exit);
        Assert.Equal($"culprit: cannot read {_dir}: is a directory, not a file", error.Trim());
    }

    [Fact]
    public void Json_output_is_one_object_per_file_with_the_documented_keys()
    {
        string crash = Write("a.log", CrashLog), quiet = Write("b.log", QuietLog);
        var (exit, output, _) = Invoke(crash, quiet, "--json");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal(
            ["file", "crashed", "kind", "title", "alt_titles", "type", "corrupted", "suppressed", "frame", "guilty_file", "crash_type", "crash_state", "crash_address", "security", "report", "start", "end"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(crash, root.GetProperty("file").GetString());
        Assert.True(root.GetProperty("crashed").GetBoolean());
        Assert.Equal("KASAN: use-after-free Read in ip6_send_skb", root.GetProperty("title").GetString());
        Assert.Equal("ip6_send_skb", root.GetProperty("frame").GetString());
        Assert.Equal("net/ipv6/ip6_output.c", root.GetProperty("guilty_file").GetString());
        Assert.Equal(CrashLog.IndexOf("[   10.000002]", StringComparison.Ordinal), root.GetProperty("start").GetInt32());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.False(second.RootElement.GetProperty("crashed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("title").ValueKind);
    }
}
