using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Culprit.Jobs.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// A found culprit's stated confidence after verification: the posterior cannot see a history where
/// the bad commit's crash comes from another change than the one it names (here the bug was fixed
/// and brought in again, and the bisection found its first coming); only the revert can.
/// </summary>
public class VerifiedConfidenceTests
{
    [Fact]
    public async Task An_answer_whose_revert_does_not_apply_is_not_stated_at_95_percent()
    {
        // Pinned: the bisection names the bug's first coming (99.1 % by the posterior), whose revert applies on none of
        // the commits after it up to the bad commit.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Reintroduced, 396, seed: 1);

        Assert.Equal(PinnedWorld.DecoyOf(scenario), job.Answer.Culprit);
        Assert.Equal("does-not-apply", job.Result.Verification?.Revert);
        Assert.InRange(job.Answer.Confidence!.Value, 0.5, 0.95);
        PinnedWorld.AssertLogLine(job, "culprit confidence lowered from 99.", "the revert was not tested, so nothing shows that the bad commit's crash comes from the culprit");
    }

    [Fact]
    public async Task A_lowering_too_small_to_show_in_the_log_is_not_said()
    {
        // Pinned: 7 clean runs of the revert at a repro chance near one half took 0.04 points off 99.6 %; the log said
        // "culprit confidence lowered from 99.6% to 99.6%".
        var (_, job) = await PinnedWorld.RunAsync(World.TitleChange, 23, seed: 3);

        Assert.Equal("passed", job.Result.Verification?.Revert);
        Assert.DoesNotContain(job.Log, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^culprit confidence lowered from (\S+)% to \1%"));
        Assert.Contains(job.Log, l => l == "culprit confidence: 99.6%");
    }

    [Fact]
    public async Task A_revert_tested_on_an_earlier_crashing_commit_leaves_what_came_after_it_unchecked()
    {
        // Pinned: the bug's first coming is named (99.2 % by the posterior); its revert does not apply on the bad commit
        // but does on an older commit on the way to it, which crashes, and there it removes the crash. The commit where
        // the revert stops applying, the middle of the 252 commits after it and the middle of the newer 125 crash too;
        // 77 % of the culprit's descendants come after the commit the revert was tested on, where the reintroduction
        // lies: the answer stays below 95 %. (World #397 was pinned before the bad commit had to show the bug four
        // times; its bisection now takes another path.)
        var (scenario, job) = await PinnedWorld.RunAsync(World.Reintroduced, 20, seed: 1);

        Assert.Equal(PinnedWorld.DecoyOf(scenario), job.Answer.Culprit);
        Assert.Equal("passed", job.Result.Verification?.Revert);
        var on = job.Result.Verification?.RevertedOn;
        Assert.NotNull(on);
        Assert.NotEqual(scenario.Graph.Commits[0], on);
        PinnedWorld.AssertLogLine(job, $"verifying the culprit: the revert applies on {on}, the newest commit on the way from the bad commit where it does: testing it as it is first");
        PinnedWorld.AssertLogLine(job, "verifying the culprit: the revert stops applying at ", "which changed the same lines (a fix would): testing it as it is");
        PinnedWorld.AssertLogLine(job, "verifying the culprit: 252 commits between ", "in their middle, as it is");
        PinnedWorld.AssertLogLine(job, "verifying the culprit: 125 commits between ", "in their middle, as it is");
        Assert.InRange(job.Answer.Confidence!.Value, 0.5, 0.95);
        PinnedWorld.AssertLogLine(job, "culprit confidence lowered from 99.2% to ", $"the revert was tested on {on}, not on the bad commit: 77% of the commits after the culprit come after {on}, and 20 clean runs there would miss the bug with 0.1% chance");
    }

    [Fact]
    public async Task A_probe_whose_clean_runs_lead_nowhere_leaves_the_culprit_standing()
    {
        // Pinned, model world: a crash in about one run of seven; the culprit's revert conflicts on the bad commit, and a
        // probe of the commits it cannot reach (the middle of 28) stayed clean in all its runs. No commit after it brings
        // the crash back (there is none): the right culprit stands, stated below 95 % for what its revert left unchecked
        // (world #410 of seed 1 was called doubtful before the search; the planner no longer passes through it).
        var (scenario, job) = await PinnedWorld.RunAsync(World.Model, 770, seed: 3);

        PinnedWorld.AssertLogLine(job, "", ": the bug went away after " + scenario.CulpritCommit + " and came back later");
        PinnedWorld.AssertLogLine(job, "no commit after ", " is found to bring the crash back: its clean runs may have missed the bug; the culprit stands");
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
        Assert.True(job.Answer.Confidence < 0.95, $"stated {job.Answer.Confidence}");
    }

    [Fact]
    public async Task Clean_revert_runs_that_would_likely_miss_a_rare_crash_do_not_restore_the_confidence()
    {
        // Pinned: a crash in about one run of fourteen; the revert of the bug's first coming shows 15 clean runs
        // (5 infra errors), which would miss it with 31.9 % chance (99.1 % by the posterior; stated 95.7 % before
        // the prior chance that the crash is not the culprit's went from 0.10 to 0.15).
        var (scenario, job) = await PinnedWorld.RunAsync(World.Reintroduced, 175, seed: 2);

        Assert.Equal(PinnedWorld.DecoyOf(scenario), job.Answer.Culprit);
        Assert.Equal("passed", job.Result.Verification?.Revert);
        Assert.True(job.Answer.Confidence < 0.95, $"stated {job.Answer.Confidence}");
    }

    [Fact]
    public async Task A_revert_at_a_low_repro_chance_gets_the_runs_that_show_a_wrong_culprits_crash()
    {
        // Pinned: the bisection names the bug's first coming (99.4 % by the posterior) at a repro chance of 0.23;
        // 10 revert runs (8 clean, 2 infra errors) once missed the crash and left it stated at 97.2 %: confident and
        // wrong. With the runs a rare crash needs the revert shows it, and the commit that brought it back is found.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Reintroduced, 244, seed: 1);

        var decoy = PinnedWorld.DecoyOf(scenario);
        var revertLine = job.Log.ToList().FindIndex(l => l == $"verifying the culprit: testing {scenario.Graph.Commits[0]} with {decoy} reverted");
        Assert.True(revertLine >= 0);
        var revertRuns = job.Log.Skip(revertLine + 1).TakeWhile(l => !l.StartsWith("the culprit is doubtful", StringComparison.Ordinal))
            .Count(l => l.StartsWith("run #", StringComparison.Ordinal));
        Assert.InRange(revertRuns, 11, 20);
        Assert.Contains("the culprit is doubtful: the crash stays when the culprit is reverted", job.Log);
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
        Assert.Equal("passed", job.Result.Verification?.Revert);
    }

    [Fact]
    public async Task A_revert_that_would_have_shown_a_frequent_crash_keeps_the_posteriors_confidence()
    {
        var scenario = ScenarioGenerator.Generate(1, 11, new ScenarioKnobs(Commits: 300, ReproChance: 1.0, UnrelatedRate: 0, BrokenRate: 0, InfraRate: 0));

        var job = await SimulatedJob.RunAsync(scenario, SimulatedPolicy.Flaky);

        Assert.Equal(scenario.CulpritCommit, job.Answer.Culprit);
        Assert.Equal("passed", job.Result.Verification?.Revert);
        Assert.True(job.Answer.Confidence >= 0.99, $"stated {job.Answer.Confidence}");
        Assert.DoesNotContain(job.Log, l => l.StartsWith("culprit confidence lowered", StringComparison.Ordinal));
    }
}
