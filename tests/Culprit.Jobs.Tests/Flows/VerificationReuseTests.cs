using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>Verification does not rerun what is known: the parent's runs during the bisection count toward its twice-the-runs check.</summary>
public sealed class VerificationReuseTests
{
    [Fact]
    public async Task The_parents_earlier_runs_count_toward_its_check()
    {
        // git's path on 0..16 with the bug at 8 tests 8 then 7: the parent is known with 2 runs, 2 more make 4.
        using var world = await ScriptedWorld.CreateAsync(17, (n, _) => n >= 8 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[16], Good = world.Hashes[0], Strategy = "classic", Runs = 2 });

        Assert.Equal(world.Hashes[8], result.Culprit?.Commit);
        var parentRuns = world.RunsDone.Count(n => n == 7);
        Assert.Equal(4, parentRuns);
        Assert.Contains($"verifying the culprit: testing its parent {world.Hashes[7]} with 2 more runs (2 done)", log);
        Assert.True(result.Verification?.ParentOk);
    }

    [Fact]
    public async Task A_parent_tested_enough_during_the_bisection_is_not_tested_again()
    {
        using var world = await ScriptedWorld.CreateAsync(17, (n, _) => n >= 8 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[16], Good = world.Hashes[0], Strategy = "classic", Runs = 1 });
        var before = result.Tested.Where(t => t.Phase == "bisect" && t.Commit == world.Hashes[7]).Sum(t => t.Runs.Count);

        Assert.Equal(world.Hashes[8], result.Culprit?.Commit);
        Assert.Equal(1, before);
        Assert.Equal(2, world.RunsDone.Count(n => n == 7));
        Assert.DoesNotContain(result.Tested, t => t.Phase == "verify-parent" && t.Runs.Count > 1);
    }

    [Fact]
    public async Task A_reproducer_that_always_crashes_rules_the_bug_out_in_a_few_runs()
    {
        // 10 of 10 runs crashed on the bad commit: 3 clean runs leave a 1 in 364 chance of a missed bug
        // (under the 1 % of the stop rule), so the revert gets 3 runs (not 10). The parent is checked for
        // the bug at a quarter of that chance (a commit may only have made it show more often): 19 runs,
        // 9 more than the bisection's 10 (not 20 in all).
        // Each commit its own file, so the culprit's revert applies.
        using var world = await ScriptedWorld.CreateAsync(17, (n, _) => n >= 8 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok(), fileOf: n => $"file{n}");
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[16], Good = world.Hashes[0], Strategy = "classic", Runs = 10 });

        Assert.Equal(world.Hashes[8], result.Culprit?.Commit);
        Assert.Equal(19, world.RunsDone.Count(n => n == 7));
        Assert.Contains($"verifying the culprit: testing its parent {world.Hashes[7]} with 9 more runs (10 done)", log);
        Assert.Equal(3, result.Tested.Single(t => t.Phase == "verify-revert").Runs.Count);
        Assert.True(result.Verification?.ParentOk);
        Assert.Equal("passed", result.Verification?.Revert);
    }

    [Fact]
    public async Task A_rare_crash_still_gets_the_full_verification_runs()
    {
        // 1 of 10 runs crashed on the bad commit: no count under 2x the runs rules the bug out, so the parent and the revert get 20.
        using var world = await ScriptedWorld.CreateAsync(17, (n, i) => n >= 8 && i % 10 == 0 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok(),
            fileOf: n => $"file{n}");
        var (result, _) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[16], Good = world.Hashes[0], Strategy = "classic", Runs = 10 });

        Assert.Equal(world.Hashes[8], result.Culprit?.Commit);
        Assert.Equal(20, world.RunsDone.Count(n => n == 7));
        Assert.Equal(20, result.Tested.Single(t => t.Phase == "verify-revert").Runs.Count);
    }
}
