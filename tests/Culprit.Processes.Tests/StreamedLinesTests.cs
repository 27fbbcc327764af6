using System.Text;
using Culprit.TestSupport;

namespace Culprit.Processes.Tests;

/// <summary>Streamed output is cut into exactly the lines <see cref="TextReader.ReadLine"/> would give.</summary>
public sealed class StreamedLinesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Streamed_lines_are_the_lines_ReadLine_gives_for_any_mix_of_line_ends_and_lengths(int seed)
    {
        // Line ends of every kind, empty lines, lines far longer than the 64 Ki read block, and a
        // \r\n pair that may straddle two blocks; the text may or may not end with a line end.
        var random = new Random(seed);
        var text = new StringBuilder();
        var ends = new[] { "\n", "\r\n", "\r", "\n\n", "\r\r\n" };
        while (text.Length < 600_000)
        {
            var length = random.Next(10) == 0 ? random.Next(70_000, 200_000) : random.Next(0, 120);
            for (var i = 0; i < length; i++)
            {
                text.Append((char)random.Next('a', 'z' + 1));
            }
            text.Append(ends[random.Next(ends.Length)]);
        }
        if (seed == 2)
        {
            text.Append("no line end at the end");
        }
        using var temp = new TempDir("culprit-lines");
        var file = temp.Sub("out.txt");
        await File.WriteAllTextAsync(file, text.ToString());

        var streamed = new List<string>();
        var result = await ProcessRunner.StreamLinesAsync(new ProcessSpec("cat", [file]), (ReadOnlySpan<char> line) => streamed.Add(line.ToString()));

        var expected = new List<string>();
        using var reader = new StringReader(text.ToString());
        while (reader.ReadLine() is { } line)
        {
            expected.Add(line);
        }
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected.Count, streamed.Count);
        Assert.Equal(expected, streamed);
    }

    [Fact]
    public async Task The_string_overload_sees_the_same_lines()
    {
        var lines = new List<string>();
        var result = await ProcessRunner.StreamLinesAsync(ProcessSpec.Shell("printf 'a\\r\\nb\\rc\\n\\nd'"), lines.Add);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["a", "b", "c", "", "d"], lines);
    }

    [Fact]
    public async Task A_large_input_is_written_while_the_output_is_read()
    {
        // 16 MB through cat, which writes as it reads (as git rev-list --stdin does): written before the
        // output was read, both pipes filled and each side waited for the other for ever (the timeout
        // had not started yet).
        var input = string.Concat(Enumerable.Range(0, 400_000).Select(i => $"{i:x40}\n"));
        var count = 0;
        var result = await ProcessRunner.StreamLinesAsync(
            ProcessSpec.Of("cat") with { StandardInput = input, Timeout = TimeSpan.FromSeconds(60) }, (ReadOnlySpan<char> _) => count++);

        Assert.False(result.TimedOut);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(400_000, count);
    }

    [Fact]
    public async Task A_timeout_ends_a_stream_whose_pipe_a_detached_child_still_holds()
    {
        var sleep = ProcessList.UniqueSleep();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var lines = new List<string>();
        var result = await ProcessRunner.StreamLinesAsync(
            ProcessSpec.Shell($"echo first; setsid sleep {sleep} & echo second") with { Timeout = TimeSpan.FromSeconds(2) }, lines.Add);

        Assert.True(result.TimedOut);
        Assert.Equal(["first", "second"], lines);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"the stream took {watch.Elapsed}");
    }
}
