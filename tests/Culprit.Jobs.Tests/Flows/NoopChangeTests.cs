using System.Text.Json;
using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>A culprit whose kernel is the same binary as its parent's is flagged, as syzbot does.</summary>
public sealed class NoopChangeTests
{
    private static RunOutcome Crashes(int n) => n >= 1 ? RunOutcome.Crash("KASAN: use-after-free in f") : RunOutcome.Ok();

    [Fact]
    public async Task A_culprit_with_its_parents_signature_is_flagged_as_not_changing_the_kernel()
    {
        // Commit 1 builds the same kernel as commit 0 (say, a comment change) yet its runs crash: a
        // flaky reproducer, not this commit, is what the result really shows.
        using var world = await ScriptedWorld.CreateAsync(8, (n, _) => Crashes(n), signature: n => n <= 1 ? "sig-same" : $"sig-{n}");
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[7], Good = world.Hashes[0], Strategy = "classic", Runs = 2 });

        Assert.Equal(world.Hashes[1], result.Culprit?.Commit);
        Assert.True(result.NoopChange);
        Assert.Contains("the culprit does not change the kernel binary", log);
        // The name syzbot's users look for in the JSON result.
        Assert.Contains("\"noop_change\":true", JsonSerializer.Serialize(result, JsonDefaults.Options));
    }

    [Fact]
    public async Task A_job_whose_runs_boot_no_vms_counts_no_boots()
    {
        using var world = await ScriptedWorld.CreateAsync(8, (n, _) => Crashes(n));
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[7], Good = world.Hashes[0], Strategy = "classic", Runs = 2 });

        Assert.True(result.Stats.Runs > 0);
        Assert.Null(result.Stats.Boots);
        Assert.Contains("\"boots\":null", JsonSerializer.Serialize(result, JsonDefaults.Options));
        Assert.DoesNotContain("boots", log);
    }

    [Fact]
    public async Task A_culprit_that_changes_the_kernel_is_not_flagged()
    {
        using var world = await ScriptedWorld.CreateAsync(8, (n, _) => Crashes(n));
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[7], Good = world.Hashes[0], Strategy = "classic", Runs = 2 });

        Assert.Equal(world.Hashes[1], result.Culprit?.Commit);
        Assert.False(result.NoopChange);
        Assert.DoesNotContain("the culprit does not change the kernel binary", log);
    }
}
