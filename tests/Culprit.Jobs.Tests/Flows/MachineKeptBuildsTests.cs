using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>
/// A machine that keeps every build for all its jobs and workers (a service node's or a CLI store's
/// kept kernel images): a commit built there once is not built again, by any job or worker.
/// </summary>
public sealed class MachineKeptBuildsTests
{
    [Fact]
    public async Task A_second_job_on_the_machine_boots_the_commits_the_first_built_without_building_them()
    {
        using var world = await ScriptedWorld.CreateAsync(24, (n, _) => n >= 9 ? RunOutcome.Crash("BUG: thing") : RunOutcome.Ok());
        world.KeepsBuilds = true;
        world.MachineKeepsBuilds = true;
        var spec = new JobSpec { Repo = "", Bad = world.Hashes[23], Good = world.Hashes[0], Strategy = "classic", Verify = false };

        var (first, _) = await world.BisectAsync(spec);
        var builtByFirst = world.BuildsDone.Count;
        var runsByFirst = world.RunsDone.Count;
        var (second, log) = await world.BisectAsync(spec);

        Assert.Equal(world.Hashes[9], first.Culprit?.Commit);
        Assert.Equal(world.Hashes[9], second.Culprit?.Commit);
        Assert.True(builtByFirst > 0);
        // Nothing built again: every commit the second job tests is booted from the kept build, and run anew.
        Assert.Equal(builtByFirst, world.BuildsDone.Count);
        Assert.Equal(2 * runsByFirst, world.RunsDone.Count);
        Assert.Equal(0, second.Stats.Builds);
        Assert.Equal(second.Tested.Count, second.Stats.BuildsReused);
        Assert.All(second.Tested, t => Assert.Contains(log, l => l == $"testing commit {t.Commit} (built already)"));
    }

    [Fact]
    public async Task Without_a_kept_build_on_the_machine_the_second_job_builds_again()
    {
        using var world = await ScriptedWorld.CreateAsync(24, (n, _) => n >= 9 ? RunOutcome.Crash("BUG: thing") : RunOutcome.Ok());
        world.KeepsBuilds = true;
        var spec = new JobSpec { Repo = "", Bad = world.Hashes[23], Good = world.Hashes[0], Strategy = "classic", Verify = false };

        await world.BisectAsync(spec);
        var builtByFirst = world.BuildsDone.Count;
        var (second, log) = await world.BisectAsync(spec);

        Assert.Equal(2 * builtByFirst, world.BuildsDone.Count);
        Assert.Equal(second.Tested.Count, second.Stats.Builds);
        Assert.DoesNotContain(log, l => l.EndsWith("(built already)", StringComparison.Ordinal));
    }
}
