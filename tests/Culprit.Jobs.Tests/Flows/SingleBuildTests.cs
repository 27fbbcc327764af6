using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>A job never builds one commit twice: a retest (verification's parent check) runs on the commit's first build.</summary>
public sealed class SingleBuildTests
{
    [Fact]
    public async Task The_parent_check_reuses_a_build_made_earlier_in_the_bisection()
    {
        // git's path on 0..16 with the bug at 9 tests 8 first, then newer commits: the parent 8 was built long before its check.
        using var world = await ScriptedWorld.CreateAsync(17, (n, _) => n >= 9 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());
        world.KeepsBuilds = true;
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[16], Good = world.Hashes[0], Strategy = "classic", Runs = 2 });

        Assert.Equal(world.Hashes[9], result.Culprit?.Commit);
        Assert.Contains(result.Tested, t => t.Phase == "verify-parent" && t.Commit == world.Hashes[8]);
        Assert.Equal(world.BuildsDone.Distinct().Count(), world.BuildsDone.Count);
        Assert.Contains($"testing commit {world.Hashes[8]} (built already)", log);
        Assert.Equal(world.BuildsDone.Count, result.Stats.Builds);
        // The retest on a build still held is counted as such.
        Assert.Equal(log.Count(l => l.EndsWith("(built already)", StringComparison.Ordinal)), result.Stats.BuildsReused);
        Assert.Equal(1, result.Stats.BuildsReused);
    }

    [Fact]
    public async Task A_commit_that_failed_to_build_is_not_built_again()
    {
        // 8 does not build; the parent check of the culprit 9 asks for it again.
        using var world = await ScriptedWorld.CreateAsync(17, (n, _) => n >= 9 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok(), builds: n => n != 8);
        var (_, _) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[16], Good = world.Hashes[0], Strategy = "classic", Runs = 2 });

        Assert.Equal(world.BuildsDone.Distinct().Count(), world.BuildsDone.Count);
    }

    [Fact]
    public async Task A_retest_whose_build_was_not_kept_is_built_again_and_the_log_and_stats_say_so()
    {
        // The same path as above with a tester that keeps no build (command mode: one worktree): the
        // parent check of 8 comes after other builds, so building 8 again is the only way left.
        using var world = await ScriptedWorld.CreateAsync(17, (n, _) => n >= 9 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[16], Good = world.Hashes[0], Strategy = "classic", Runs = 2 });

        Assert.Equal(2, world.BuildsDone.Count(n => n == 8));
        Assert.Contains($"testing commit {world.Hashes[8]} (built again: its build was not kept)", log);
        Assert.Equal(1, result.Stats.BuildsRepeated);
        Assert.Equal(world.BuildsDone.Count, result.Stats.Builds);
    }
}
