using System.Text.Json;

namespace Culprit.Cli.Tests;

/// <summary>
/// <c>simulate --log N</c>: scenario N's world and each policy's job log on it, the very jobs the report scores
/// (a case <c>--cases</c> shows as wrong or costly, read step by step).
/// </summary>
public sealed class SimulateLogTests
{
    [Fact]
    public async Task A_scenarios_log_is_the_job_the_cases_file_scored()
    {
        using var temp = new TempDir();
        var cases = temp.Sub("cases.jsonl");
        var scored = await CliHarness.InvokeAsync("simulate", "--scenarios", "3", "--seed", "7", "--policies", "flaky,syzbot", "--cases", cases);
        Assert.True(scored.ExitCode == 0, scored.Error);
        var line = JsonDocument.Parse((await File.ReadAllLinesAsync(cases))[2]).RootElement;

        var run = await CliHarness.InvokeAsync("simulate", "--log", "2", "--seed", "7", "--policies", "flaky,syzbot");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith($"scenario 2 of seed 7, world model: {line.GetProperty("commits").GetInt32()} commits", run.Output);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"repro chance: {line.GetProperty("repro_chance").GetDouble():0.000} a run"), run.Output);
        foreach (var policy in new[] { "flaky", "syzbot" })
        {
            var result = line.GetProperty("policies").GetProperty(policy);
            var heading = run.Output.Split('\n').Single(l => l.StartsWith($"== {policy}: ", StringComparison.Ordinal));
            Assert.Contains($"{(result.GetProperty("right").GetBoolean() ? "right" : "wrong")}; {result.GetProperty("runs").GetInt32()} runs, {result.GetProperty("builds").GetInt32()} builds", heading);
        }
        // Each policy's log is the job's, from its first line to its result.
        Assert.Equal(2, run.Output.Split('\n').Count(l => l.StartsWith("bisecting cause commit starting from ", StringComparison.Ordinal)));
        Assert.True(run.Output.Split('\n').Count(l => l.StartsWith("testing commit ", StringComparison.Ordinal)) >= 2);
    }

    [Fact]
    public async Task A_release_walk_scenarios_log_names_its_releases_and_the_walk()
    {
        var run = await CliHarness.InvokeAsync("simulate", "--log", "0", "--log-world", "release-walk", "--policies", "git");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("scenario 0 of seed 1, world release-walk: ", run.Output);
        Assert.Contains("\nreleases, newest first: ", run.Output);
        Assert.Contains("\ntesting release ", run.Output);
        Assert.Single(run.Output.Split('\n'), l => l.StartsWith("== git: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "--log", "0", "--log-world", "mars" }, "unknown world for --log-world: mars (known: model, second-bug, title-change, repro-change, reintroduced, release-walk, repro-rise)")]
    [InlineData(new[] { "--log-world", "release-walk" }, "--log-world names the world of the scenario --log prints: give --log N too")]
    [InlineData(new[] { "--log", "0", "--worlds" }, "--log prints one scenario's job logs, not a report: it does not go with --worlds")]
    [InlineData(new[] { "--log", "0", "--scenarios", "5" }, "--log prints one scenario's job logs, not a report: it does not go with --scenarios")]
    public async Task A_log_asked_wrongly_is_a_one_line_usage_error(string[] args, string expected)
    {
        var run = await CliHarness.InvokeAsync(["simulate", .. args]);

        run.AssertUsageError(expected);
    }
}
