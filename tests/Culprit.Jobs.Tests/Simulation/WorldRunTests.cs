using System.Text.Json;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Culprit.Jobs.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>The worlds, run through the simulated job flow.</summary>
public class WorldRunTests
{
    private static readonly ScenarioKnobs Quiet = new(Commits: 400, ReproChance: 1.0, UnrelatedRate: 0, BrokenRate: 0, InfraRate: 0);

    [Fact]
    public async Task The_release_walk_tests_releases_newest_first_and_bisects_below_the_first_good_one()
    {
        var scenario = ScenarioWorlds.Generate(3, 7, World.ReleaseWalk, Quiet);
        var releases = scenario.Facts.Releases!;

        var job = await SimulatedJob.RunAsync(scenario, SimulatedPolicy.Flaky);

        var walked = job.Tests.Where(t => t.Phase == "release").Select(t => t.Commit).Distinct().ToList();
        Assert.True(releases.Count >= 2);
        Assert.False(scenario.Graph.Contains(releases[^1]));
        Assert.Equal(releases.Take(walked.Count), walked);
        Assert.Equal(scenario.CulpritCommit, job.Answer.Culprit);
    }

    [Fact]
    public async Task A_commit_is_built_once_and_later_tests_of_it_cost_only_runs()
    {
        var scenario = ScenarioGenerator.Generate(1, 1, Quiet);

        var job = await SimulatedJob.RunAsync(scenario, SimulatedPolicy.Flaky);

        // The bad commit is tested again by the flaky judge and verification retests the culprit's parent: no second build.
        Assert.True(job.Tests.Count > job.Tests.Select(t => t.Commit).Distinct().Count());
        Assert.Equal(job.Tests.Select(t => t.Commit).Distinct().Count(), job.Builds);
        Assert.Equal(job.Result.Tested.Sum(t => t.Runs.Count), job.Runs);
    }

    [Fact]
    public void The_cost_of_a_policy_run_is_its_builds_and_runs_at_their_prices()
    {
        var prices = new SimulationPrices(BuildMinutes: 10, RunMinutes: 1.5);
        var scenario = ScenarioGenerator.Generate(2, 3, prices.Timings(Quiet));

        var run = PolicyRunner.Run(scenario, SimulatedPolicy.Syzbot, prices);

        Assert.Equal(run.Builds * 10 + run.Runs * 1.5, run.CostMinutes, 6);
        Assert.Equal(600, scenario.BuildSeconds);
    }

    [Fact]
    public void The_worlds_report_gives_each_world_its_accuracy_confident_wrong_rate_and_cost()
    {
        var worlds = Simulator.RunWorlds(2, 1, ["syzbot", "flaky"]);
        using var json = JsonDocument.Parse(SimulationReportWriter.ToJson(worlds));

        foreach (var world in WorldNames.All)
        {
            var entry = json.RootElement.GetProperty("worlds").GetProperty(world.ToWire());
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("right_answer").GetString()));
            foreach (var policy in new[] { "syzbot", "flaky" })
            {
                var p = entry.GetProperty("policies").GetProperty(policy);
                Assert.InRange(p.GetProperty("confident_wrong_rate").GetDouble(), 0, 1);
                Assert.True(p.GetProperty("mean_cost_minutes").GetDouble() > 0);
            }
        }
        Assert.Contains("world reintroduced: right answer is", SimulationReportWriter.ToText(worlds));
    }
}
