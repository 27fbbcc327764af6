using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;
using static Culprit.Core.Tests.Flaky.FlakyTestWorld;

namespace Culprit.Core.Tests.Flaky;

public class FlakyEndpointJudgeTests
{
    private static readonly FlakyEndpointJudge Judge = new(AnyCrashPolicy.Instance, FlakyOptions.Default);

    /// <summary>
    /// The bad commit crashed in 3 of 10 runs. 20 clean runs on a release leave the bug there with
    /// about 1.04 % probability: enough for 95 %, not for the 99 % the bisection stops at, so a
    /// release that ends the range gets more runs (a release taken as good too early puts the
    /// culprit outside the range, where no answer can be right: the release walk's confident-wrong answers).
    /// </summary>
    [Fact]
    public void A_clean_release_is_good_only_when_the_bug_is_as_unlikely_there_as_the_answer_must_be_sure()
    {
        IReadOnlyList<CommitOutcome> crashing = [Crashes("bad", 3, 7)];

        var after20 = Judge.JudgeRelease(crashing, [Crashes("v6.1", 0, 20)]);
        var after40 = Judge.JudgeRelease(crashing, [Crashes("v6.1", 0, 20), Crashes("v6.1", 0, 20)]);

        Assert.Equal(20, Assert.IsType<MoreRuns>(after20).Runs);
        Assert.Equal(Verdict.Good, Assert.IsType<EndpointVerdict>(after40).Verdict);
    }

    /// <summary>
    /// The clean runs that rule a bug out at 1 % risk: 3 when it crashed 10 of 10 times (1 in 364 to
    /// miss it), and no fewer than the cap allows when it crashed once in 10 (20 clean runs still
    /// miss it 12 % of the time): the verifier's run counts (never more than its 2× and 1× the runs).
    /// </summary>
    [Fact]
    public void Runs_to_rule_a_bug_out_follow_its_repro_chance_up_to_the_cap()
    {
        Assert.Equal(3, FlakyEndpointJudge.RunsToRuleOut(10, 10, 0.01, 20));
        Assert.Equal(20, FlakyEndpointJudge.RunsToRuleOut(1, 10, 0.01, 20));
        Assert.Equal(10, FlakyEndpointJudge.RunsToRuleOut(1, 10, 0.01, 10));
        Assert.Equal(1, FlakyEndpointJudge.RunsToRuleOut(10, 10, 0.01, 1));
    }

    /// <summary>
    /// Ruling the bug out where it shows a quarter as often (a parent below a commit that made it show more often) takes
    /// 19 clean runs after 10 crashes in 10, against 3 at the crashing commit's own chance, and half as often 8; the
    /// integral agrees with the closed form when nothing is scaled.
    /// </summary>
    [Theory]
    [InlineData(10, 10, 3)]
    [InlineData(3, 10, 5)]
    [InlineData(1, 10, 20)]
    [InlineData(7, 20, 8)]
    public void The_chance_of_missing_a_rarer_bug_agrees_with_the_closed_form_unscaled(int k, int m, int n) =>
        Assert.Equal(FlakyEndpointJudge.ChanceOfMissing(k, m, n), FlakyEndpointJudge.ChanceOfMissing(k, m, n, 1), 4);

    [Fact]
    public void Runs_to_rule_out_a_rarer_bug_grow_as_its_chance_falls()
    {
        Assert.Equal(8, FlakyEndpointJudge.RunsToRuleOut(10, 10, 0.01, 40, 0.5));
        Assert.Equal(19, FlakyEndpointJudge.RunsToRuleOut(10, 10, 0.01, 40, 0.25));
        Assert.Equal(20, FlakyEndpointJudge.RunsToRuleOut(3, 10, 0.01, 20, 0.25));
        Assert.True(FlakyEndpointJudge.ChanceOfMissing(10, 10, 19, 0.25) > FlakyEndpointJudge.ChanceOfMissing(10, 10, 19, 0.5));
    }
    /// <summary>
    /// The crashing commit showed the bug 6 times and another crash once (an unrelated bug that
    /// strikes every commit now and then). A release showing that other crash once in 10 runs and
    /// the bug never is no proof of the bug: the bug would have shown in 10 runs, and the other crash
    /// is likelier background than the bug's one manifestation. Taken as bad (as before), such a
    /// release made the walk go past the culprit to a range without it, or find no good release at
    /// all (release-walk world, seed 1 #86 and #12).
    /// </summary>
    [Fact]
    public void A_release_showing_only_a_crash_the_crashing_commit_showed_once_beside_the_bug_is_good()
    {
        IReadOnlyList<CommitOutcome> crashing = [Crashes("bad", 6, 3), Crashes("bad", 1, 0, Other, [])];

        var said = Judge.JudgeRelease(crashing, [Crashes("v6.1", 1, 9, Other, [])]);

        Assert.Equal(Verdict.Good, Assert.IsType<EndpointVerdict>(said).Verdict);
    }

    /// <summary>
    /// The bug crashed once in the crashing commit's 10 runs, the other crash twice: either may be
    /// the bug. A release showing the other crash once is neither surely bad nor surely good: more runs.
    /// </summary>
    [Fact]
    public void A_release_showing_a_crash_that_may_be_the_bug_gets_more_runs()
    {
        IReadOnlyList<CommitOutcome> crashing = [Crashes("bad", 1, 7), Crashes("bad", 2, 0, Other, [])];

        var said = Judge.JudgeRelease(crashing, [Crashes("v6.1", 1, 9, Other, [])]);

        Assert.IsType<MoreRuns>(said);
    }

    /// <summary>The bug's own main crash on a release makes it bad at once.</summary>
    [Fact]
    public void A_release_showing_the_bugs_main_crash_is_bad()
    {
        IReadOnlyList<CommitOutcome> crashing = [Crashes("bad", 6, 3), Crashes("bad", 1, 0, Other, [])];

        var said = Judge.JudgeRelease(crashing, [Crashes("v6.1", 1, 9)]);

        Assert.Equal(Verdict.Bad, Assert.IsType<EndpointVerdict>(said).Verdict);
    }
}
