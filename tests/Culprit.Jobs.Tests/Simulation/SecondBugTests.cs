using Culprit.Core.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// Two bugs come in at two commits of the range: the posterior has one culprit for the bug, so it
/// takes the other bug's crash for background even when the bad commit shows it as often.
/// </summary>
public class SecondBugTests
{
    [Fact]
    public async Task An_answer_that_followed_the_second_bug_is_replaced_by_the_culprit_of_the_crash_its_revert_keeps()
    {
        // Pinned: the bisection follows the second bug's crash to its culprit, taking both bugs' titles for the bug. Its
        // revert keeps the first bug's crash; the 277 commits after it, tested with it reverted, lead to the true culprit,
        // whose revert keeps the second bug's crash: stated below 95 %, as that may be the bad commit's most frequent crash.
        // (World #258 of seed 1 was pinned before ε was held below a quarter of p; its bisection now goes to the culprit.)
        var (scenario, job) = await PinnedWorld.RunAsync(World.SecondBug, 63, seed: 1);

        PinnedWorld.AssertLogLine(job, "the crash stays with " + PinnedWorld.DecoyOf(scenario));
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
        Assert.True(job.Answer.Confidence < 0.95, $"stated {job.Answer.Confidence}");
        PinnedWorld.AssertLogLine(job, "culprit confidence lowered from ", "the crash the revert keeps may be the bad commit's most frequent (7.3% chance)");
    }

    [Fact]
    public async Task A_revert_that_removes_the_bad_commits_most_frequent_crash_and_keeps_a_rarer_one_confirms_the_culprit()
    {
        // Pinned: the bad commit crashed with the bug (INFO: task hung in l2cap_close) twice and the second bug
        // (kernel BUG in tcp_write_iter, from a later commit) once; both were taken for the bug. The revert of the
        // true culprit showed the second bug twice in 16 runs and the bug never: the culprit was called doubtful.
        var (scenario, job) = await PinnedWorld.RunAsync(World.SecondBug, 101, seed: 1);

        PinnedWorld.AssertFoundTheCulprit(scenario, job);
        Assert.False(job.Result.Verification?.Doubtful);
        Assert.Contains(job.Log, l => l.StartsWith("the revert keeps another crash of the bad commit (kernel BUG in tcp_write_iter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_revert_that_keeps_the_bad_commits_crashes_taken_for_background_leads_to_their_culprit()
    {
        // Pinned: the bisection followed the second bug (kernel BUG in l2cap_destroy, 3 of the bad commit's crashes)
        // to its culprit, taking the bug's two titles (3 crashes) for background. Judged by the second bug's title
        // alone, the revert (7 crashes with the bug's titles in 14 runs) once looked clean: stated at 99.3 % and wrong.
        // Now it keeps the crash, and the commits after it, tested with it reverted, lead to the bug's culprit.
        var (scenario, job) = await PinnedWorld.RunAsync(World.SecondBug, 116, seed: 1);

        Assert.Contains("the culprit is doubtful: the crash stays when the culprit is reverted", job.Log);
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
    }

    [Fact]
    public async Task A_second_bug_that_reads_like_a_rename_after_a_few_runs_is_not_taken_for_one_before_runs_on_built_commits_tell()
    {
        // Pinned: the second bug (general protection fault in vhost_sendmsg) came in far below the culprit and showed
        // on many commits judged good. The culprit and a commit whose build is broken were the answer's group; the
        // group's first commit's parent crashed with the second bug in 2 of 5 runs, and the 3 runs after it that the
        // bug did not take happened to miss it: the rename reading stood at 72.9 %, was taken, and the search went
        // below after the second bug (inconclusive, 251 runs). Runs on the crashing commit show the second bug again.
        var (scenario, job) = await PinnedWorld.RunAsync(World.SecondBug, 56, seed: 1);

        Assert.DoesNotContain(job.Log, l => l.StartsWith("the bug's crashes look renamed at ", StringComparison.Ordinal));
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
    }
}
