using Culprit.Service.Nodes;

namespace Culprit.Service.Tests;

/// <summary>A node runs at most --builds jobs and --vms VMs at once; the rest wait in arrival order.</summary>
public sealed class WorkerSlotsTests
{
    [Fact]
    public async Task Jobs_beyond_the_build_slots_wait_and_start_in_arrival_order()
    {
        var slots = new WorkerSlots(builds: 1, vms: 4);
        var first = await slots.TakeAsync("a", 0, CancellationToken.None);
        var second = slots.TakeAsync("b", 0, CancellationToken.None);
        var third = slots.TakeAsync("c", 0, CancellationToken.None);

        Assert.False(second.IsCompleted);
        Assert.Equal(["b", "c"], slots.Snapshot().Queued);
        first.Dispose();
        (await second).Dispose();
        (await third).Dispose();
        Assert.Empty(slots.Snapshot().Running);
    }

    [Fact]
    public async Task A_kernel_job_waits_for_its_vms_and_a_small_job_behind_it_waits_too()
    {
        var slots = new WorkerSlots(builds: 4, vms: 2);
        var running = await slots.TakeAsync("a", 1, CancellationToken.None);
        var big = slots.TakeAsync("big", 2, CancellationToken.None);
        var small = slots.TakeAsync("small", 1, CancellationToken.None);

        Assert.False(big.IsCompleted);
        Assert.False(small.IsCompleted);
        running.Dispose();
        (await big).Dispose();
        (await small).Dispose();
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_queue()
    {
        var slots = new WorkerSlots(builds: 1, vms: 1);
        using var held = await slots.TakeAsync("a", 0, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = slots.TakeAsync("b", 0, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Empty(slots.Snapshot().Queued);
    }

    [Fact]
    public async Task A_vm_run_takes_no_build_slot_and_two_runs_of_one_commit_hold_two_slots()
    {
        var slots = new WorkerSlots(builds: 1, vms: 2);
        var build = await slots.TakeAsync("j build c", 1, 0, CancellationToken.None);
        var run1 = await slots.TakeAsync("j run c", 0, 1, CancellationToken.None);
        var run2 = await slots.TakeAsync("j run c", 0, 1, CancellationToken.None);

        Assert.Equal(["j build c", "j run c", "j run c"], slots.Snapshot().Running);
        Assert.Equal(1, slots.BuildsInUse);
        run1.Dispose();
        Assert.Equal(["j build c", "j run c"], slots.Snapshot().Running);
        run2.Dispose();
        build.Dispose();
        Assert.Equal(0, slots.BuildsInUse);
        Assert.Empty(slots.Snapshot().Running);
    }
}
