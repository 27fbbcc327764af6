using Culprit.Core.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// Verification reads the culprit's parent and revert as the strategy reads runs: a parent it judged
/// good from the bisection's runs is good, a run another crash ended says nothing of the bug, and a
/// revert that splits the bad commit's crashes in doubt gets the runs that tell which is shown most.
/// Each case is pinned to a scenario whose answer was wrong or doubtful before.
/// </summary>
public class VerificationReadingTests
{
    [Fact]
    public async Task A_parent_the_strategy_judged_good_from_many_runs_is_not_called_crashing_by_one_of_them()
    {
        // Pinned: the parent had 25 runs in the bisection, two with a title taken as one of the bug's old titles
        // (kernel BUG in bpf_free), and was judged good; verification's plain rule would call it crashing and the right
        // culprit doubtful. (World #11 of seed 3 was pinned before the bad commit had to show the bug four times.)
        var (scenario, job) = await PinnedWorld.RunAsync(World.TitleChange, 8, seed: 1);

        PinnedWorld.AssertLogLine(job, "verifying the culprit: its parent ", " was tested with 25 runs already");
        Assert.DoesNotContain(job.Log, l => l.Contains("the culprit's parent crashes too", StringComparison.Ordinal));
        Assert.True(job.Result.Verification?.ParentOk);
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
    }

    [Fact]
    public async Task A_parent_whose_runs_all_crash_with_other_titles_goes_back_to_the_bisection()
    {
        // Pinned: the commit that renamed the crash was named; its parent crashed in all 3 runs and the revert in 8 of 9,
        // with the bug's old titles, which verification took for other crashes: "verified" at 99.1 %, wrong. (Since the
        // revert is read for crashes the culprit takes away, the old titles it brings back make the culprit doubtful first.)
        var (scenario, job) = await PinnedWorld.RunAsync(World.TitleChange, 37, seed: 3);

        PinnedWorld.AssertLogLine(job, "verifying the culprit: ", " more runs of the revert (infra errors and other crashes say nothing of the bug)");
        PinnedWorld.AssertLogLine(job, "the culprit is doubtful: the revert brings back a crash the bad commit never shows (possible deadlock in nf_tables_poll: 8 of 9 runs");
        PinnedWorld.AssertLogLine(job, "the culprit's parent ", " crashes: bisecting on with its runs");
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
    }

    [Fact]
    public async Task A_revert_that_splits_the_crashes_in_doubt_gets_the_runs_that_tell_which_the_bad_commit_shows_most()
    {
        // Pinned: the bad commit showed the second bug twice and the bug once in 9 runs; the right culprit's revert kept
        // the second bug's crash, was read as keeping the more frequent one, and the search named the second bug's culprit at 99.3 %.
        var (scenario, job) = await PinnedWorld.RunAsync(World.SecondBug, 121, seed: 3);

        var bad = scenario.Graph.Commits[0];
        PinnedWorld.AssertLogLine(job, "verifying the culprit: ", $" more runs of {bad} to tell whether the crash the revert removed is the one it shows most");
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
        Assert.InRange(job.Answer.Confidence!.Value, 0.5, 0.95);
    }
}
