using System.Text.Json;
using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Culprit.Jobs.Simulation;
using Culprit.Core.Strategies;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

public class SimulatorTests
{
    private static readonly string[] Policies = ["syzbot", "git", "classic", "flaky"];

    [Fact]
    public void The_report_does_not_depend_on_thread_scheduling()
    {
        var one = Simulator.Run(4, 4, Policies, parallelism: 1);
        var two = Simulator.Run(4, 4, Policies, parallelism: 2);

        Assert.Equal(SimulationReportWriter.ToJson(one), SimulationReportWriter.ToJson(two));
    }

    [Fact]
    public void The_json_report_has_every_policy_and_the_flaky_calibration()
    {
        using var json = JsonDocument.Parse(SimulationReportWriter.ToJson(Simulator.Run(2, 1, Policies)));
        var root = json.RootElement;

        Assert.Equal((2, 1), (root.GetProperty("scenarios").GetInt32(), root.GetProperty("seed").GetInt32()));
        Assert.True(root.TryGetProperty("ambiguous_cases", out _));
        foreach (var name in Policies)
        {
            var policy = root.GetProperty("policies").GetProperty(name);
            Assert.InRange(policy.GetProperty("accuracy").GetDouble(), 0, 1);
            Assert.True(policy.GetProperty("mean_runs").GetDouble() > 0);
            Assert.True(policy.GetProperty("mean_builds").GetDouble() > 0);
            var priced = policy.GetProperty("mean_builds").GetDouble() * 6 + policy.GetProperty("mean_runs").GetDouble() * 0.6;
            Assert.InRange(policy.GetProperty("mean_cost_minutes").GetDouble() - priced, -0.05, 0.05);
            Assert.True(policy.GetProperty("by_band").TryGetProperty(">=0.30", out _));
            // Where the minutes go: builds and runs add up to the cost, at the seed's prices.
            Assert.InRange(policy.GetProperty("mean_build_minutes").GetDouble() - policy.GetProperty("mean_builds").GetDouble() * 6, -0.05, 0.05);
            Assert.InRange(policy.GetProperty("mean_run_minutes").GetDouble() - policy.GetProperty("mean_runs").GetDouble() * 0.6, -0.05, 0.05);
            var bands = policy.GetProperty("by_band");
            var shares = new[] { "<0.30", ">=0.30" }.Sum(b => bands.GetProperty(b).GetProperty("cost_share_minutes").GetDouble());
            Assert.InRange(shares - policy.GetProperty("mean_cost_minutes").GetDouble(), -0.05, 0.05);
        }
        Assert.Equal(JsonValueKind.Array, root.GetProperty("policies").GetProperty("flaky").GetProperty("calibration").ValueKind);
    }

    [Fact]
    public void The_confidence_asked_is_the_flaky_policys_alone()
    {
        var sure = Simulator.Run(12, 2, ["syzbot", "flaky"]);
        var loose = Simulator.Run(12, 2, ["syzbot", "flaky"], confidence: 0.6);

        // The flaky strategy stops sooner (at 92 %: the stop rule's extra certainty over 0.6) and says what it was asked
        // for, or why not: a doubt the posterior cannot see (a title change at the answer) lowers what it states.
        Assert.True(loose.Policies[1].MeanRuns < sure.Policies[1].MeanRuns, $"{loose.Policies[1].MeanRuns} runs at 0.6, {sure.Policies[1].MeanRuns} at 0.95");
        var found = loose.Cases.Select(c => c.Runs[1]).Where(r => r.Result.Kind == ResultKind.Found).ToList();
        Assert.NotEmpty(found);
        Assert.All(found, r => Assert.True(r.Result.Confidence >= 0.6 || r.Result.Message?.Contains("confidence lowered") == true,
            $"stated {r.Result.Confidence}: {r.Result.Message}"));
        Assert.Contains(found, r => r.Result.Confidence >= 0.6);
        using var looseJson = JsonDocument.Parse(SimulationReportWriter.ToJson(loose));
        using var sureJson = JsonDocument.Parse(SimulationReportWriter.ToJson(sure));
        Assert.Equal((0.6, 0.95), (looseJson.RootElement.GetProperty("confidence").GetDouble(), sureJson.RootElement.GetProperty("confidence").GetDouble()));
        // syzbot states no confidence: the same jobs either way.
        Assert.Equal(sureJson.RootElement.GetProperty("policies").GetProperty("syzbot").GetRawText(),
            looseJson.RootElement.GetProperty("policies").GetProperty("syzbot").GetRawText());
    }

    [Fact]
    public void Accuracy_counts_right_results_over_all_scenarios()
    {
        var report = Simulator.Run(2, 1, ["git", "flaky"]);

        foreach (var (policy, k) in report.Policies.Select((p, k) => (p, k)))
        {
            Assert.Equal(report.Cases.Count(c => c.Runs[k].Right), policy.Right);
            Assert.Equal((double)policy.Right / 2, policy.Accuracy);
        }
    }

    [Fact]
    public void The_text_report_has_a_row_per_policy_and_the_calibration_table()
    {
        var text = SimulationReportWriter.ToText(Simulator.Run(2, 1, ["syzbot", "flaky"]));

        Assert.Contains("\nsyzbot ", text);
        Assert.Contains("\nflaky ", text);
        Assert.Contains("flaky calibration", text);
    }

    [Fact]
    public void A_found_result_on_an_ambiguous_scenario_is_wrong()
    {
        var scenario = Enumerable.Range(0, 300)
            .Select(i => ScenarioGenerator.Generate(i, 5, new ScenarioKnobs(Commits: 100, BrokenRate: 0.5)))
            .First(s => s.Ambiguous);

        Assert.False(Scoring.IsRight(scenario, BisectionResult.Found(scenario.CulpritCommit)));
        Assert.True(Scoring.IsRight(scenario, BisectionResult.Inconclusive(scenario.RightCandidates.Reverse().ToList())));
    }

    [Fact]
    public void Classic_asks_its_run_count_at_every_step()
    {
        var graph = new CommitGraph(Enumerable.Range(0, 50).Select(i => ($"c{i}", (IReadOnlyList<string>)[i < 49 ? $"c{i + 1}" : "good"])));
        var runs = 3;
        var strategy = new ClassicStrategy(graph, AnyCrashPolicy.Instance, () => runs);
        strategy.Record(new CommitOutcome("c0", true, [RunOutcome.Crash("x")]));
        var first = Assert.IsType<TestCommit>(strategy.Next());
        strategy.Record(new CommitOutcome(first.Commit, true, [RunOutcome.Ok()]));
        runs = 7;

        Assert.Equal((3, 7), (first.Runs, Assert.IsType<TestCommit>(strategy.Next()).Runs));
    }

    /// <summary>
    /// A job that stops on a commit its machines could not test (every run an infra error) and is resumed
    /// builds nothing again: a kernel job's images are kept on the machine, and the simulated machines keep
    /// their builds alike, so the simulator charges what a real job pays.
    /// </summary>
    [Fact]
    public async Task A_resumed_job_builds_no_commit_twice()
    {
        // Pinned, model world: the job stops twice on a commit whose runs were all infra errors and is
        // resumed each time; it made 22 builds for 19 commits before the simulated machines kept their builds.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Model, 368, seed: 1);

        PinnedWorld.AssertFoundTheCulprit(scenario, job);
        var tested = job.Tests.Select(t => t.Commit).Distinct().Count();
        Assert.True(job.Builds <= tested, $"{job.Builds} builds for {tested} commits tested");
    }

    [Fact]
    public async Task Each_phase_is_counted_once_and_the_phases_add_up_to_the_jobs_builds_and_runs()
    {
        // Scenario 0 of seed 1: the classic policy's job stores tests of phases that are none of reproduce,
        // release, bisect and verify; they were written as an "other" beside the machines' own "other", a
        // key twice in one JSON object (a reader keeps one of them and loses the other's cost).
        var scenario = ScenarioGenerator.Generate(0, 1, SimulationPrices.Kernel.Timings(ScenarioKnobs.None));

        var job = await SimulatedJob.RunAsync(scenario, SimulatedPolicy.Classic);

        Assert.Equal(job.ByPhase.Count, job.ByPhase.Select(p => p.Phase).Distinct().Count());
        Assert.Equal(job.Builds, job.ByPhase.Sum(p => p.Builds));
        Assert.Equal(job.Runs, job.ByPhase.Sum(p => p.Runs));
        Assert.Contains(job.ByPhase, p => p.Phase == "other" && p.Builds > 0);
    }
}
