using System.Text.Json;
using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Xunit;

namespace Culprit.Core.Tests.Simulation;

public class WorldTests
{
    private static readonly ScenarioKnobs Quiet = new(Commits: 400, ReproChance: 1.0, UnrelatedRate: 0, BrokenRate: 0, InfraRate: 0);

    [Fact]
    public void A_reintroduced_bug_has_the_reintroduction_as_its_culprit_and_is_absent_between_fix_and_reintroduction()
    {
        var scenario = ScenarioWorlds.Generate(3, 7, World.Reintroduced, Quiet);
        var facts = scenario.Facts;
        var first = facts.Decoy!.Value;
        var fix = facts.ChangedAt!.Value;

        Assert.Equal(World.Reintroduced, scenario.World);
        Assert.True(scenario.HasBug(first));
        Assert.False(scenario.HasBug(fix));
        Assert.True(facts.ChangedSet![scenario.Culprit] && scenario.Culprit != fix);
        Assert.True(scenario.HasBug(scenario.Culprit) && scenario.HasBug(0));
    }

    [Fact]
    public void A_title_change_gives_the_commits_after_it_other_titles_only()
    {
        var scenario = ScenarioWorlds.Generate(3, 7, World.TitleChange, Quiet);
        var later = scenario.Facts.ChangedAt!.Value;

        var oldTitles = scenario.Manifestations.Select(m => m.Title).ToHashSet();
        Assert.Equal(scenario.Manifestations, scenario.ManifestationsAt(scenario.Culprit));
        Assert.DoesNotContain(scenario.ManifestationsAt(later), m => oldTitles.Contains(m.Title));
        Assert.DoesNotContain(scenario.ManifestationsAt(0), m => oldTitles.Contains(m.Title));
    }

    [Fact]
    public void A_second_bug_crashes_with_its_own_title_and_less_often_than_the_bug()
    {
        var scenario = ScenarioWorlds.Generate(3, 7, World.SecondBug, Quiet);

        Assert.True(scenario.HasSecondBug(0));
        Assert.NotEqual(scenario.Culprit, scenario.Facts.Decoy);
        Assert.DoesNotContain(scenario.Manifestations, m => m.Title == scenario.Facts.SecondBug!.Title);
        Assert.InRange(scenario.Facts.SecondReproChance, 0.2 * scenario.ReproChance, 0.6 * scenario.ReproChance);
    }

    [Fact]
    public void The_release_walk_tests_releases_newest_first_and_bisects_below_the_first_good_one()
    {
        var scenario = ScenarioWorlds.Generate(3, 7, World.ReleaseWalk, Quiet);
        var releases = scenario.Facts.Releases!;
        var tester = new SimulatedTester(scenario);

        var result = SimulatedJob.Run(scenario, SimulatedPolicy.Flaky, tester);

        Assert.True(releases.Count >= 2);
        Assert.False(scenario.Graph.Contains(releases[^1]));
        Assert.Equal(scenario.CulpritCommit, result.Culprit);
    }

    [Fact]
    public void The_base_scenario_is_the_same_in_every_world()
    {
        var model = ScenarioGenerator.Generate(5, 9);
        foreach (var world in WorldNames.All)
        {
            var scenario = ScenarioWorlds.Generate(5, 9, world);
            Assert.Equal(model.Graph.Commits, scenario.Graph.Commits);
            Assert.Equal(model.ReproChance, scenario.ReproChance);
        }
    }

    [Fact]
    public void A_commit_is_built_once_and_later_tests_of_it_cost_only_runs()
    {
        var scenario = ScenarioGenerator.Generate(1, 1, Quiet);
        var tester = new SimulatedTester(scenario);

        var first = tester.Test(scenario.Graph.Commits[5], 3);
        var again = tester.Test(scenario.Graph.Commits[5], 4);

        Assert.Equal((1, 7), (tester.Builds, tester.Runs));
        Assert.True(first.BuildSeconds > 0);
        Assert.Equal(0, again.BuildSeconds);
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
    public void A_wrong_answer_is_confident_wrong_when_stated_at_95_percent_or_without_a_confidence()
    {
        BisectionResult Found(double? confidence) => new(ResultKind.Found, "x", ["x"], confidence);

        Assert.True(new PolicyRun("p", Found(0.96), false, 1, 1).ConfidentWrong);
        Assert.True(new PolicyRun("p", Found(null), false, 1, 1).ConfidentWrong);
        Assert.False(new PolicyRun("p", Found(0.9), false, 1, 1).ConfidentWrong);
        Assert.False(new PolicyRun("p", Found(0.99), true, 1, 1).ConfidentWrong);
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
