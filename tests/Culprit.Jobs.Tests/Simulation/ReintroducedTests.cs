using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Jobs.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// The bug is fixed and brought back inside the range: the bisection finds its first introduction,
/// whose revert on the bad commit keeps the crash; the commits after it, each tested with it
/// reverted, are clean up to the reintroduction and crash from it on.
/// </summary>
public class ReintroducedTests
{
    [Fact]
    public async Task A_revert_that_keeps_the_crash_leads_to_the_commit_that_brought_it_back()
    {
        // Pinned: the first introduction was named and called doubtful (its revert kept the crash): no answer.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Reintroduced, 0, seed: 1);

        AssertTheSearchFoundTheCulprit(scenario, job);
    }

    [Fact]
    public async Task A_commit_after_the_culprit_that_does_not_crash_leads_to_the_commit_that_brought_it_back()
    {
        // Pinned: the first introduction's revert does not apply on the bad commit (the fix changed its lines); it was
        // tested on an older commit seen crashing, where it removed the crash, and the first introduction was named at
        // 85.6 %. The newest commit on the way from the bad commit where the revert applies does not crash: the bug went
        // away after the first introduction, and the commits after that clean one hold the commit that brought it back.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Reintroduced, 15, seed: 1);

        var decoy = PinnedWorld.DecoyOf(scenario);
        PinnedWorld.AssertLogLine(job, "", $"does not crash, though it contains {decoy}: the bug went away after {decoy} and came back later");
        PinnedWorld.AssertLogLine(job, "the crash came back after ", $"with {decoy} reverted where it applies");
        Assert.DoesNotContain(job.Log, l => l.Contains("the newest commit seen crashing where it does", StringComparison.Ordinal));
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
    }

    [Fact]
    public async Task A_revert_that_keeps_a_crash_taken_for_the_bug_gets_all_its_runs()
    {
        // Pinned: the first introduction's revert ran 3 times (a repro chance near 0.8) and kept one crash with the
        // bug's rarer title; read as another bug (0.5 % doubt), it confirmed the wrong culprit at 98.7 %.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Reintroduced, 476, seed: 1);

        PinnedWorld.AssertLogLine(job, "verifying the culprit: ", " more runs of the revert to tell whether the crash it keeps is the bug's");
        AssertTheSearchFoundTheCulprit(scenario, job);
    }

    [Fact]
    public async Task Candidates_only_broken_builds_separate_are_reverted_together_and_lead_to_the_commit_that_brought_the_crash_back()
    {
        // Pinned: the first introduction's parent does not build: the answer was inconclusive between the two, neither right.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Reintroduced, 7, seed: 1);

        var decoy = PinnedWorld.DecoyOf(scenario);
        Assert.Contains(job.Log, l => l.StartsWith("verifying the candidates: testing ", StringComparison.Ordinal) && l.Contains(decoy, StringComparison.Ordinal));
        AssertTheSearchFoundTheCulprit(scenario, job, ", ");
    }

    [Fact]
    public async Task Candidates_whose_joint_revert_removes_the_crash_stay_the_answer()
    {
        // The model world: the culprit's parent does not build, and reverting both removes the crash.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Model, 117, seed: 1);

        Assert.Contains("the crash goes with the candidates reverted: one of them brought it in", job.Log);
        Assert.True(Scoring.IsRight(scenario, job.Answer));
        Assert.Equal(ResultKind.Inconclusive, job.Answer.Kind);
    }

    [Fact]
    public async Task A_culprit_whose_parent_crashes_in_verification_sends_the_bisection_on()
    {
        // Pinned: the bisection named a commit whose parent it had not tested; that parent crashed in verification
        // (it has the first introduction), and the answer was doubtful. Its runs now go to the bisection, which
        // finds the first introduction, whose revert keeps the crash, and the search finds the reintroduction.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Reintroduced, 137, seed: 1);

        PinnedWorld.AssertLogLine(job, "the culprit's parent ", " crashes: bisecting on with its runs");
        PinnedWorld.AssertFoundTheCulpritVerified(scenario, job);
    }

    [Fact]
    public async Task A_culprits_child_named_first_is_caught_by_the_parent_check_before_any_search()
    {
        // Pinned, model world (nothing reintroduced): a crash in about three runs of five, under three titles. The
        // bisection named the culprit's child at 99.4 %, the culprit having had 5 clean runs. Its revert kept the crash,
        // and the search of the 145 commits after the child for one that brought it back named a wrong one, until a
        // recheck of the parent came first; now the parent check's own runs (ruling the bug out at a quarter of its
        // chance) see the culprit crash, and the bisection goes on with them.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Model, 406, seed: 1);

        PinnedWorld.AssertLogLine(job, $"verifying the culprit: testing its parent {scenario.CulpritCommit} with 14 more runs (5 done)");
        PinnedWorld.AssertLogLine(job, $"the culprit's parent {scenario.CulpritCommit} crashes: bisecting on with its runs");
        Assert.DoesNotContain(job.Log, l => l.Contains(" reverted: bisecting the ", StringComparison.Ordinal));
        PinnedWorld.AssertFoundTheCulpritVerified(scenario, job);
    }

    /// <summary>The revert of the first coming kept the crash, and the search after it found the scenario's culprit.</summary>
    /// <param name="next">What follows the first coming in the search's line (another candidate reverted with it).</param>
    private static void AssertTheSearchFoundTheCulprit(Scenario scenario, SimulatedJobRun job, string next = "")
    {
        Assert.Contains(job.Log, l => l.StartsWith("the crash stays with " + PinnedWorld.DecoyOf(scenario) + next, StringComparison.Ordinal)
            && l.Contains(" reverted: bisecting the ", StringComparison.Ordinal));
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
    }
}
