using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>
/// "Never build one commit twice in a job" across a resume: the ledger says which commits were built;
/// a failed build is not made again, and a kept build (a kernel image) still where it was kept is
/// run again. A build only a worktree held (command mode) is gone with the pass and is made again.
/// </summary>
public sealed class ResumeBuildsTests
{
    private const int Culprit = 9;

    private static JobSpec Spec(ScriptedWorld world) => new() { Repo = "", Bad = world.Hashes[16], Good = world.Hashes[0], Strategy = "classic", Runs = 2 };

    /// <summary>The commit git's path tests second (after 8) in a world like the one given, learnt from a job that is not stopped.</summary>
    private static async Task<int> SecondTestedAsync()
    {
        using var probe = await ScriptedWorld.CreateAsync(17, (n, _) => n >= Culprit ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());
        var (result, _) = await probe.BisectAsync(Spec(probe));
        return result.Tested.Where(t => t.Phase == "bisect").Select(t => probe.NumberOf(t.Commit)).Skip(1).First();
    }

    /// <summary>A world whose <paramref name="stopAt"/> cannot be tested until mended: its job stops there, after 8 was built.</summary>
    private static async Task<(ScriptedWorld World, string Job, Action Mend)> StoppedAfterTheFirstBisectionTestAsync(int stopAt)
    {
        var mended = false;
        var world = await ScriptedWorld.CreateAsync(17, (n, _) =>
            n == stopAt && !Volatile.Read(ref mended) ? RunOutcome.Infra("boot failed: can't ssh into the instance")
            : n >= Culprit ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());
        return (world, await world.CreateAsync(Spec(world)), () => Volatile.Write(ref mended, true));
    }

    [Fact]
    public async Task A_retest_after_a_resume_runs_on_the_build_kept_before_the_stop()
    {
        var (world, id, mend) = await StoppedAfterTheFirstBisectionTestAsync(await SecondTestedAsync());
        using var _ = world;
        world.KeepsBuilds = true;
        await Assert.ThrowsAsync<UntestableCommitException>(() => world.RunAsync(id));
        Assert.Contains(8, world.BuildsDone);
        mend();

        var (result, log) = await world.RunAsync(id);

        Assert.Equal(world.Hashes[Culprit], result.Culprit?.Commit);
        Assert.Contains(result.Tested, t => t.Phase == "verify-parent" && t.Commit == world.Hashes[8]);
        Assert.Contains($"testing commit {world.Hashes[8]} (built already)", log);
        // (The commit the stop came at stored nothing: the ledger cannot say it was built, and it is built again.)
        Assert.Single(world.BuildsDone, n => n == 8);
    }

    [Fact]
    public async Task A_kept_build_deleted_before_the_resume_is_built_again()
    {
        var (world, id, mend) = await StoppedAfterTheFirstBisectionTestAsync(await SecondTestedAsync());
        using var _ = world;
        world.KeepsBuilds = true;
        await Assert.ThrowsAsync<UntestableCommitException>(() => world.RunAsync(id));
        File.Delete(world.KeptBuildOf(world.Hashes[8]));
        mend();

        var (result, log) = await world.RunAsync(id);

        Assert.Equal(world.Hashes[Culprit], result.Culprit?.Commit);
        Assert.Equal(2, world.BuildsDone.Count(n => n == 8));
        Assert.DoesNotContain($"testing commit {world.Hashes[8]} (built already)", log);
    }
}
