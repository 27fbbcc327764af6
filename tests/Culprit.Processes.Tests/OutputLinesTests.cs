using System.Diagnostics;

namespace Culprit.Processes.Tests;

/// <summary>
/// What a run's line reader (<see cref="ProcessSpec.OnLine"/>) is handed: every line of standard output
/// as <see cref="TextReader.ReadLine"/> would split it, lines of any length whole, and a reader that
/// fails ends the run with its error, the process killed rather than left blocked on a full pipe.
/// </summary>
public sealed class OutputLinesTests
{
    [Fact]
    public async Task Lines_end_at_a_newline_a_carriage_return_or_both_and_the_last_needs_no_end()
    {
        var lines = new List<string>();

        await ProcessRunner.RunAsync(new ProcessSpec("printf", ["a\\r\\nb\\rc\\n\\nd"]) with { OnLine = lines.Add });

        Assert.Equal(["a", "b", "c", "", "d"], lines);
    }

    [Fact]
    public async Task A_line_longer_than_a_read_block_is_handed_over_whole()
    {
        var lines = new List<string>();

        await ProcessRunner.RunAsync(ProcessSpec.Shell("head -c 200000 /dev/zero | tr '\\0' x; echo; echo end") with
        {
            MaxCapturedChars = 0,
            OnLine = lines.Add,
        });

        Assert.Equal(2, lines.Count);
        Assert.Equal(new string('x', 200_000), lines[0]);
        Assert.Equal("end", lines[1]);
    }

    [Fact]
    public async Task A_failing_line_reader_ends_the_run_with_its_error_and_the_writer_killed()
    {
        // `yes` writes for ever: unless the run kills it, the run lasts until its timeout.
        var spec = ProcessSpec.Shell("yes") with
        {
            MaxCapturedChars = 0,
            Timeout = TimeSpan.FromMinutes(5),
            OnLine = line => throw new InvalidDataException($"refused: {line}"),
        };
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ProcessRunner.RunAsync(spec));

        Assert.Equal("refused: y", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), $"the run lasted {clock.Elapsed}: the writer was not killed");
    }
}
