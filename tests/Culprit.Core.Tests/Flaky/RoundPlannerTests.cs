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
