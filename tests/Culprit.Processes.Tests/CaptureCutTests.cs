using System.Text;
using Culprit.TestSupport;

namespace Culprit.Processes.Tests;

/// <summary>
/// A capture that lost its head says so (per stream), so no caller decides from cut text; the line
/// callback still sees every line, and NUL-separated records stream whole.
/// </summary>
public sealed class CaptureCutTests
{
    [Fact]
    public async Task A_capture_over_its_limit_says_which_stream_was_cut()
    {
        // 2,000 lines of 10 characters on stdout (20,000 characters), one line on stderr.
        var spec = ProcessSpec.Shell("seq 100000001 100002000; echo oops >&2") with { MaxCapturedChars = 4096 };

        var result = await ProcessRunner.RunAsync(spec);

        Assert.True(result.StandardOutputTruncated);
        Assert.True(result.OutputTruncated);
        Assert.False(result.StandardErrorTruncated);
        Assert.Equal("oops\n", result.StandardError);
        Assert.EndsWith("100002000\n", result.StandardOutput);
        Assert.DoesNotContain("100000001", result.StandardOutput);
    }

    [Fact]
    public async Task A_capture_within_its_limit_is_whole_and_not_marked()
    {
        var result = await ProcessRunner.RunAsync(ProcessSpec.Shell("seq 1 100; echo oops >&2") with { MaxCapturedChars = 4096 });

        Assert.False(result.OutputTruncated);
        Assert.False(result.StandardOutputTruncated);
        Assert.False(result.StandardErrorTruncated);
        Assert.StartsWith("1\n2\n", result.StandardOutput);
    }

    [Fact]
    public async Task The_line_callback_sees_every_line_of_a_cut_capture_in_order()
    {
        var lines = new List<string>();
        var spec = ProcessSpec.Shell("seq 1 20000") with { MaxCapturedChars = 0, OnLine = lines.Add };

        var result = await ProcessRunner.RunAsync(spec);

        Assert.Equal("", result.Output);
        Assert.True(result.OutputTruncated);
        Assert.Equal(Enumerable.Range(1, 20000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines);
    }

    [Fact]
    public async Task A_cut_stderr_of_a_stream_is_marked()
    {
        var result = await ProcessRunner.StreamLinesAsync(
            ProcessSpec.Shell("echo out; seq 1 5000 >&2") with { MaxCapturedChars = 1024 }, (string _) => { });

        Assert.True(result.StandardErrorTruncated);
        Assert.True(result.OutputTruncated);
    }

    [Fact]
    public async Task Records_are_split_at_their_separator_only_across_read_blocks()
    {
        // Records with line ends inside, empty records and records longer than the 64 Ki read block.
        var random = new Random(7);
        var records = new List<string>();
        var text = new StringBuilder();
        while (text.Length < 400_000)
        {
            var length = random.Next(20) == 0 ? random.Next(70_000, 150_000) : random.Next(0, 80);
            var record = new StringBuilder();
            for (var i = 0; i < length; i++)
            {
                record.Append(random.Next(15) == 0 ? '\n' : (char)random.Next('a', 'z' + 1));
            }
            records.Add(record.ToString());
            text.Append(record).Append('\0');
        }
        using var temp = new TempDir("culprit-records");
        var file = temp.Sub("out.bin");
        await File.WriteAllTextAsync(file, text.ToString());

        var streamed = new List<string>();
        var result = await ProcessRunner.StreamRecordsAsync(new ProcessSpec("cat", [file]), '\0', (ReadOnlySpan<char> r) => streamed.Add(r.ToString()));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(records, streamed);
    }

    [Fact]
    public async Task A_slow_line_reader_gets_every_line_the_process_wrote_before_it_exited()
    {
        // 3,000 short lines fit in the pipe: the process exits at once, the reader needs about 3 s
        // for them, longer than the one second output is read for while the run's children live.
        var lines = new List<string>();
        var spec = ProcessSpec.Shell("seq 1 3000") with
        {
            MaxCapturedChars = 0,
            OnLine = line =>
            {
                Thread.Sleep(1);
                lines.Add(line);
            },
        };

        await ProcessRunner.RunAsync(spec);

        Assert.Equal(3000, lines.Count);
        Assert.Equal("3000", lines[^1]);
    }
}
