using Culprit.Core.Domain;
using Culprit.Core.Simulation.Policies;
using Culprit.Core.Strategies;
using Xunit;

namespace Culprit.Core.Tests.Simulation;

public class SyzbotPolicyTests
{
    private static CommitOutcome Outcome(int crashes, int oks, int infra) =>
        new("c", true,
            [.. Enumerable.Repeat(RunOutcome.Crash("WARNING in foo"), crashes), .. Enumerable.Repeat(RunOutcome.Ok(), oks), .. Enumerable.Repeat(RunOutcome.Infra("boot failed"), infra)]);

    [Theory]
    [InlineData(2, 8, 0, false, Verdict.Bad)]
    [InlineData(1, 9, 0, false, Verdict.Skip)]
    [InlineData(0, 10, 0, false, Verdict.Good)]
    [InlineData(0, 5, 5, false, Verdict.Good)]
    [InlineData(0, 4, 6, false, Verdict.Skip)]
    [InlineData(3, 17, 0, false, Verdict.Bad)]
    [InlineData(2, 18, 0, false, Verdict.Skip)]
    [InlineData(2, 2, 6, false, Verdict.Skip)]
    [InlineData(0, 14, 6, true, Verdict.Skip)]
    [InlineData(0, 15, 5, true, Verdict.Good)]
    public void Verdicts_follow_syzbots_thresholds(int crashes, int oks, int infra, bool flaky, Verdict expected)
    {
        var policy = new SyzbotPolicy { Flaky = flaky };

        Assert.Equal(expected, policy.Judge(Outcome(crashes, oks, infra)));
    }

    [Fact]
    public void Runs_double_once_a_bad_commit_crashed_in_under_half_its_runs()
    {
        var graph = new CommitGraph(Enumerable.Range(0, 100).Select(i => ($"c{i}", (IReadOnlyList<string>)[i < 99 ? $"c{i + 1}" : "good"])));
        var strategy = new SyzbotStrategy(graph);
        strategy.Record(Outcome(20, 0, 0) with { Commit = "c0" });
        var first = Assert.IsType<TestCommit>(strategy.Next());

        strategy.Record(Outcome(3, 7, 0) with { Commit = first.Commit });

        Assert.Equal((10, 20), (first.Runs, Assert.IsType<TestCommit>(strategy.Next()).Runs));
        Assert.True(strategy.Flaky);
    }
}
