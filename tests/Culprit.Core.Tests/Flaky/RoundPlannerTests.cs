using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;
using Xunit;
using static Culprit.Core.Tests.Flaky.FlakyTestWorld;

namespace Culprit.Core.Tests.Flaky;

/// <summary>A round of the flaky strategy: its first test is the one chosen alone, the others split the rest of the posterior.</summary>
public class RoundPlannerTests
{
    private static FlakyStrategy AfterTheBadCommitCrashed(CommitGraph graph)
    {
        var strategy = new FlakyStrategy(graph);
        strategy.Record(Crashes("c0", 10, 0));
        return strategy;
    }

    [Fact]
    public void A_round_of_one_is_the_step_chosen_alone()
    {
        var graph = Linear(200);

        var alone = Assert.IsType<TestCommit>(AfterTheBadCommitCrashed(graph).Next());
        var round = Assert.IsType<TestRound>(AfterTheBadCommitCrashed(graph).NextRound(1));

        Assert.Equal(alone, Assert.Single(round.Tests));
    }

    [Fact]
    public void Three_workers_get_three_commits_that_cut_the_range_into_four_parts()
    {
        var graph = Linear(200);

        var alone = Assert.IsType<TestCommit>(AfterTheBadCommitCrashed(graph).Next());
        var round = Assert.IsType<TestRound>(AfterTheBadCommitCrashed(graph).NextRound(3)).Tests;

        Assert.Equal(alone, round[0]);
        Assert.Equal(3, round.Select(t => t.Commit).Distinct().Count());
        // Evenly spread: each of the four parts holds well under half of the 200 candidates.
        var cuts = round.Select(t => graph.IndexOf(t.Commit)).Order().ToList();
        var parts = cuts.Prepend(0).Zip(cuts.Append(200), (lo, hi) => hi - lo).ToList();
        Assert.All(parts, p => Assert.InRange(p, 20, 80));
    }

    [Fact]
    public void The_bad_commits_first_tests_go_alone()
    {
        var round = Assert.IsType<TestRound>(new FlakyStrategy(Linear(50)).NextRound(4));

        Assert.Equal("c0", Assert.Single(round.Tests).Commit);
    }

    /// <summary>Ten runs, every one as long, a build as long as any: the prices a look ahead assumes stay the prices.</summary>
    private static CommitOutcome Evenly(string commit, int crashes) =>
        new(commit, true, [.. Enumerable.Range(0, 10).Select(i => i < crashes ? RunOutcome.Crash(Bug, altTitles: [BugAlt], seconds: 100) : RunOutcome.Ok(100))],
            BuildSeconds: 600, TestSeconds: 1000);

    /// <summary>The bad commit crashed in all ten runs, then c100 came out clean ten times: the culprit is among c0..c99.</summary>
    private static FlakyStrategy AfterACleanTest(CommitGraph graph)
    {
        var strategy = new FlakyStrategy(graph);
        strategy.Record(Evenly("c0", 10));
        strategy.Record(Evenly("c100", 0));
        return strategy;
    }

    [Fact]
    public void The_likely_next_commit_is_the_pick_after_the_running_tests_likelier_result()
    {
        var graph = Linear(200);
        // c90 is older than 90 % of the candidates: its test likely stays clean.
        var likely = AfterACleanTest(graph).LikelyNext([("c90", 10)]);
        var afterClean = AfterACleanTest(graph);
        afterClean.Record(Evenly("c90", 0));

        Assert.Equal(Assert.IsType<TestCommit>(afterClean.Next()).Commit, likely);
    }

    [Fact]
    public void The_likely_next_commit_after_a_likely_crash_is_the_pick_after_that_crash()
    {
        var graph = Linear(200);
        // c10 is older than 90 % of the candidates: its test likely crashes.
        var likely = AfterACleanTest(graph).LikelyNext([("c10", 10)]);
        var afterCrash = AfterACleanTest(graph);
        afterCrash.Record(Evenly("c10", 10));

        Assert.Equal(Assert.IsType<TestCommit>(afterCrash.Next()).Commit, likely);
    }

    [Fact]
    public void The_likely_next_commit_of_a_round_is_the_pick_after_all_its_tests_likelier_results()
    {
        var graph = Linear(200);
        var likely = AfterACleanTest(graph).LikelyNext([("c90", 10), ("c10", 10)]);
        var after = AfterACleanTest(graph);
        after.Record(Evenly("c90", 0));
        after.Record(Evenly("c10", 10));

        Assert.Equal(Assert.IsType<TestCommit>(after.Next()).Commit, likely);
    }

    [Fact]
    public void Nothing_is_built_ahead_while_the_bad_commit_is_tested()
    {
        Assert.Null(new FlakyStrategy(Linear(50)).LikelyNext([("c0", 4)]));
    }

    [Fact]
    public void Recording_whole_rounds_finds_the_culprit_of_a_flaky_crash()
    {
        var graph = Linear(300);
        var strategy = AfterTheBadCommitCrashed(graph);
        var random = new Random(3);
        var rounds = 0;
        BisectionStep step;
        while ((step = strategy.NextRound(3)) is TestRound round && rounds++ < 200)
        {
            foreach (var test in round.Tests)
            {
                var hasBug = graph.IndexOf(test.Commit) <= 41;
                var crashes = Enumerable.Range(0, test.Runs).Count(_ => hasBug && random.NextDouble() < 0.5);
                strategy.Record(Crashes(test.Commit, crashes, test.Runs - crashes));
            }
        }

        var result = Assert.IsType<Finished>(step).Result;
        Assert.Equal("c41", result.Culprit);
    }
}
