using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Core.Tests.Strategies;

public sealed class ClassicStrategyTests
{
    /// <summary>A linear history c0 (oldest, in the range) … c{n-1} (bad), newest first as rev-list gives it.</summary>
    private static CommitGraph Linear(int n) =>
        new(Enumerable.Range(0, n).Reverse().Select(i => ($"c{i}", (IReadOnlyList<string>)(i == 0 ? ["base"] : [$"c{i - 1}"]))));

    private static BisectionResult Bisect(CommitGraph graph, Func<string, CommitOutcome> test, List<string>? tested = null)
    {
        var strategy = new ClassicStrategy(graph, AnyCrashPolicy.Instance, runs: 3);
        strategy.Record(test(graph.Commits[0]));
        while (true)
        {
            switch (strategy.Next())
            {
                case Finished f:
                    return f.Result;
                case TestCommit t:
                    Assert.Equal(3, t.Runs);
                    tested?.Add(t.Commit);
                    strategy.Record(test(t.Commit));
                    break;
            }
        }
    }

    private static CommitOutcome Outcome(string commit, bool bad) =>
        new(commit, true, [bad ? RunOutcome.Crash("BUG: x") : RunOutcome.Ok()]);

    [Theory]
    [InlineData(2, 0)]
    [InlineData(16, 0)]
    [InlineData(16, 7)]
    [InlineData(100, 99)]
    [InlineData(1000, 313)]
    public void Linear_history_finds_the_culprit_in_logarithmic_steps(int n, int culprit)
    {
        var tested = new List<string>();
        var result = Bisect(Linear(n), c => Outcome(c, int.Parse(c[1..]) >= culprit), tested);

        Assert.Equal(ResultKind.Found, result.Kind);
        Assert.Equal($"c{culprit}", result.Culprit);
        Assert.True(tested.Count <= Math.Ceiling(Math.Log2(n)) + 1, $"{tested.Count} tests for {n} commits");
    }

    [Fact]
    public void A_skipped_commit_right_before_the_culprit_leaves_both_as_candidates()
    {
        var result = Bisect(Linear(20), c =>
        {
            var i = int.Parse(c[1..]);
            return i == 9 ? CommitOutcome.BuildFailed(c, "broken") : Outcome(c, i >= 10);
        });

        Assert.Equal(ResultKind.Inconclusive, result.Kind);
        Assert.Equal(["c10", "c9"], result.Candidates.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_skipped_commit_away_from_the_culprit_does_not_hide_it()
    {
        var result = Bisect(Linear(20), c =>
        {
            var i = int.Parse(c[1..]);
            return i == 4 ? CommitOutcome.BuildFailed(c, "broken") : Outcome(c, i >= 10);
        });

        Assert.Equal(ResultKind.Found, result.Kind);
        Assert.Equal("c10", result.Culprit);
    }

    [Fact]
    public void A_culprit_on_a_merged_side_branch_is_found()
    {
        // base - m1 - m2 ----- M(m2, s2) - m3 (bad)
        //          \- s1 - s2 /   culprit: s2
        var graph = new CommitGraph(
        [
            ("m3", ["M"]),
            ("M", ["m2", "s2"]),
            ("s2", ["s1"]),
            ("m2", ["m1"]),
            ("s1", ["m1"]),
            ("m1", ["base"]),
        ]);
        var bad = new HashSet<string> { "s2", "M", "m3" };

        var result = Bisect(graph, c => Outcome(c, bad.Contains(c)));

        Assert.Equal(ResultKind.Found, result.Kind);
        Assert.Equal("s2", result.Culprit);
    }

    [Fact]
    public void Every_run_an_infra_error_is_a_skip()
    {
        var verdict = AnyCrashPolicy.Instance.Judge(new CommitOutcome("c", true, [RunOutcome.Infra("boot failed: x"), RunOutcome.Infra("boot failed: y")]));
        Assert.Equal(Verdict.Skip, verdict);
    }

    [Fact]
    public void One_crash_among_ok_runs_is_bad_and_a_hang_counts_as_a_crash()
    {
        Assert.Equal(Verdict.Bad, AnyCrashPolicy.Instance.Judge(new CommitOutcome("c", true, [RunOutcome.Ok(), RunOutcome.Crash("WARNING in f")])));
        Assert.Equal(Verdict.Bad, AnyCrashPolicy.Instance.Judge(new CommitOutcome("c", true, [RunOutcome.Ok(), RunOutcome.Timeout("no output")])));
        Assert.Equal(Verdict.Good, AnyCrashPolicy.Instance.Judge(new CommitOutcome("c", true, [RunOutcome.Ok(), RunOutcome.Infra("lost")])));
    }

    [Fact]
    public void Fix_direction_swaps_good_and_bad()
    {
        var policy = new FixDirectionPolicy(AnyCrashPolicy.Instance);
        Assert.Equal(Verdict.Good, policy.Judge(new CommitOutcome("c", true, [RunOutcome.Crash("x")])));
        Assert.Equal(Verdict.Bad, policy.Judge(new CommitOutcome("c", true, [RunOutcome.Ok()])));
        Assert.Equal(Verdict.Skip, policy.Judge(CommitOutcome.BuildFailed("c", "e")));
    }

    [Fact]
    public void The_first_step_reports_what_git_bisect_prints()
    {
        var strategy = new ClassicStrategy(Linear(16), AnyCrashPolicy.Instance, runs: 10);
        var step = Assert.IsType<TestCommit>(strategy.Next());
        // git: "Bisecting: 7 revisions left to test after this (roughly 3 steps)" for 16 candidates.
        Assert.Equal(7, step.RevisionsLeft);
        Assert.Equal(3, step.Steps);
    }

    [Fact]
    public void The_likely_next_commit_is_what_git_asks_for_after_the_likelier_verdict_and_asking_changes_nothing()
    {
        var graph = Linear(100);
        var strategy = new ClassicStrategy(graph, AnyCrashPolicy.Instance, runs: 1);
        strategy.Record(Outcome(graph.Commits[0], bad: true));
        var testing = Assert.IsType<TestCommit>(strategy.Next()).Commit;

        var likely = strategy.LikelyNext(testing);

        Assert.Equal(testing, Assert.IsType<TestCommit>(strategy.Next()).Commit);
        // git's pick holds at least half the candidates below it here: "bad" is the likelier verdict.
        strategy.Record(Outcome(testing, bad: true));
        Assert.Equal(Assert.IsType<TestCommit>(strategy.Next()).Commit, likely);
    }
}
