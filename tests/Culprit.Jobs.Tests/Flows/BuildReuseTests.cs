using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>A commit tested again right after its own test is not built again: its build is still in place.</summary>
public sealed class BuildReuseTests
{
    [Fact]
    public async Task A_retest_of_the_commit_just_tested_reuses_its_build()
    {
        // The bug shows only from a commit's sixth run on: the bad commit's first test is clean, so it is tested again at once.
        using var world = await ScriptedWorld.CreateAsync(20, (n, i) => n >= 9 && i >= 5 ? RunOutcome.Crash("BUG: flaky thing") : RunOutcome.Ok());
        var (result, log) = await world.BisectAsync(new JobSpec
        {
            Repo = "", Bad = world.Hashes[19], Good = world.Hashes[0], Strategy = "flaky", Runs = 5, MaxRuns = 300, Verify = false,
        });

        Assert.Equal([19, 19], world.RunsDone.Take(15).Distinct().Prepend(19).Take(2));
        var retests = result.Tested.Zip(result.Tested.Skip(1)).Count(p => p.First.Commit == p.Second.Commit && p.First.BuildError is null);
        Assert.True(retests > 0, "the flaky reproducer should make the strategy retest a commit at once");
        Assert.Equal(result.Tested.Count - retests, world.BuildsDone.Count);
        Assert.Contains(log, l => l.EndsWith("(built already)", StringComparison.Ordinal));
        Assert.Equal(world.BuildsDone.Count, result.Stats.Builds);
    }
}
