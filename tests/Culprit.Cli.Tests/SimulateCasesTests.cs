using System.Text.Json;

namespace Culprit.Cli.Tests;

/// <summary>
/// <c>simulate --cases FILE</c>: every scenario on a line of its own, with what each policy did on it;
/// the report's means are the means of those lines, so the file is where they come from, scenario by scenario.
/// </summary>
public sealed class SimulateCasesTests
{
    [Fact]
    public async Task Every_scenario_is_a_line_and_the_reports_means_are_their_means()
    {
        using var temp = new TempDir();
        var cases = temp.Sub("cases.jsonl");

        var run = await CliHarness.InvokeAsync("simulate", "--scenarios", "24", "--seed", "5", "--policies", "flaky,syzbot", "--json", "--cases", cases);

        Assert.True(run.ExitCode == 0, run.Error);
        using var report = JsonDocument.Parse(run.Output);
        var lines = (await File.ReadAllLinesAsync(cases)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Enumerable.Range(0, 24), lines.Select(l => l.GetProperty("index").GetInt32()));
        foreach (var policy in new[] { "flaky", "syzbot" })
        {
            var summary = report.RootElement.GetProperty("policies").GetProperty(policy);
            var runs = lines.Select(l => l.GetProperty("policies").GetProperty(policy)).ToList();
            Assert.Equal(summary.GetProperty("right").GetInt32(), runs.Count(r => r.GetProperty("right").GetBoolean()));
            Assert.Equal(summary.GetProperty("mean_runs").GetDouble(), Math.Round(runs.Average(r => r.GetProperty("runs").GetInt32()), 2));
            Assert.Equal(summary.GetProperty("mean_cost_minutes").GetDouble(), runs.Average(r => r.GetProperty("cost_minutes").GetDouble()), 1);
            // Each scenario's phases add up to its runs and builds.
            Assert.All(runs, r => Assert.Equal(r.GetProperty("runs").GetInt32(),
                (int)Math.Round(r.GetProperty("cost_by_phase").EnumerateObject().Sum(p => p.Value.GetProperty("runs").GetDouble()))));
        }
        var bandLow = lines.Where(l => l.GetProperty("repro_chance").GetDouble() < 0.3).ToList();
        var band = report.RootElement.GetProperty("policies").GetProperty("flaky").GetProperty("by_band").GetProperty("<0.30");
        Assert.Equal(band.GetProperty("cases").GetInt32(), bandLow.Count);
        Assert.All(lines, l => Assert.Equal("model", l.GetProperty("world").GetString()));
        Assert.All(lines, l => Assert.InRange(l.GetProperty("commits").GetInt32(), 50, 10_000));
    }

    [Fact]
    public async Task With_worlds_each_worlds_scenarios_are_written_under_its_name()
    {
        using var temp = new TempDir();
        var cases = temp.Sub("cases.jsonl");

        var run = await CliHarness.InvokeAsync("simulate", "--scenarios", "3", "--policies", "git", "--worlds", "--cases", cases);

        Assert.True(run.ExitCode == 0, run.Error);
        var worlds = (await File.ReadAllLinesAsync(cases)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("world").GetString()).ToList();
        Assert.Equal(3, worlds.Count(w => w == "model"));
        Assert.True(worlds.Distinct().Count() > 2);
        Assert.All(worlds.GroupBy(w => w), g => Assert.Equal(3, g.Count()));
    }

    [Fact]
    public async Task Noise_left_out_is_zero_in_every_scenario_and_named_in_the_report()
    {
        using var temp = new TempDir();
        var cases = temp.Sub("cases.jsonl");

        var run = await CliHarness.InvokeAsync("simulate", "--scenarios", "12", "--seed", "3", "--policies", "flaky", "--json",
            "--without", "unrelated-crashes,infra-errors", "--without", "extra-titles", "--cases", cases);

        Assert.True(run.ExitCode == 0, run.Error);
        using var report = JsonDocument.Parse(run.Output);
        Assert.Equal(["extra-titles", "unrelated-crashes", "infra-errors"],
            report.RootElement.GetProperty("without").EnumerateArray().Select(e => e.GetString()));
        var lines = (await File.ReadAllLinesAsync(cases)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(12, lines.Count);
        Assert.All(lines, l =>
        {
            Assert.Equal(0, l.GetProperty("extra_manifestations").GetInt32());
            Assert.Equal(0, l.GetProperty("unrelated_rate").GetDouble());
            Assert.Equal(0, l.GetProperty("infra_rate").GetDouble());
        });
        Assert.Contains(lines, l => l.GetProperty("broken_rate").GetDouble() > 0);

        var text = await CliHarness.InvokeAsync("simulate", "--scenarios", "2", "--policies", "git", "--without", "all");
        Assert.Contains("left out of every scenario: extra-titles, unrelated-crashes, broken-builds, infra-errors", text.Output);
    }

    [Fact]
    public async Task Unknown_noise_is_refused_with_the_known_names()
    {
        var run = await CliHarness.InvokeAsync("simulate", "--scenarios", "3", "--without", "infra-errors,bogus");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("culprit: unknown noise for --without: bogus (known: extra-titles, unrelated-crashes, broken-builds, infra-errors, all)", run.Error.Trim());
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task A_cases_file_that_cannot_be_written_is_refused_before_anything_runs()
    {
        using var temp = new TempDir();

        var run = await CliHarness.InvokeAsync("simulate", "--scenarios", "3", "--cases", temp.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"culprit: --cases {temp.Path} is a directory, not a file", run.Error.Trim());
        Assert.Equal("", run.Output);
    }
}
