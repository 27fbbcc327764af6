using System.Diagnostics;
using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;

namespace Culprit.Git.Tests;

[CollectionDefinition(nameof(ScaleMemoryTests), DisableParallelization = true)]
public sealed class ScaleMemoryCollection;

/// <summary>
/// Memory, not time: a 100k-commit Linux-shaped range bisected by both strategies keeps memory
/// linear in the range. The ancestry bitsets this replaced held 1.4 GB here (n² bits); now the
/// range, its ancestry and each strategy's state (and the flaky strategy's look-ahead twin) stay in
/// tens of MB. Run alone (no parallel tests), so the process's peak is this job's.
/// </summary>
[Collection(nameof(ScaleMemoryTests))]
public sealed class ScaleMemoryTests
{
    [Fact]
    public async Task A_100k_commit_job_stays_within_linear_memory_for_both_strategies()
    {
        var history = await BigHistory.CachedAsync(100_000);
        var git = await GitRepository.OpenAsync(history.Path);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var graph = await git.RangeAsync(history.Bad, [history.Good]);
        var classic = Bisect(new ClassicStrategy(graph, AnyCrashPolicy.Instance, runs: 1), history);
        var flaky = new FlakyStrategy(graph);
        var flakyFound = Bisect(flaky, history);
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(flaky);

        Assert.Equal(history.Culprit, classic);
        Assert.Equal(history.Culprit, flakyFound);
        Assert.InRange(retained / 1048576.0, 0, 100);
        Assert.InRange(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 0, 400);
    }

    private static string? Bisect(IBisectionStrategy strategy, BigHistory history)
    {
        strategy.Record(Outcome(history, history.Bad, 1));
        for (var step = 0; step < 100; step++)
        {
            switch (strategy.Next())
            {
                case Finished f:
                    return f.Result.Culprit;
                case TestCommit t:
                    // What an idle worker would build ahead: a twin replaying every step so far.
                    (strategy as FlakyStrategy)?.LikelyNext([(t.Commit, t.Runs)]);
                    strategy.Record(Outcome(history, t.Commit, t.Runs));
                    break;
            }
        }
        return null;
    }

    private static CommitOutcome Outcome(BigHistory history, string commit, int runs)
    {
        var bug = history.HasBug(commit);
        return new CommitOutcome(commit, true, Enumerable.Range(0, runs).Select(_ => bug ? RunOutcome.Crash("exit status 1") : RunOutcome.Ok()).ToList());
    }
}
