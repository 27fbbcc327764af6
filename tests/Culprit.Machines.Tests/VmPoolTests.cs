using Culprit.Core.Domain;

namespace Culprit.Machines.Tests;

[Collection(VmCollection.Name)]
public sealed class VmPoolTests(TestKernel kernel) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<VmRun[]> TwoRunsAsync(int vms)
    {
        // Each VM stays up for a few seconds after boot, so two at once must overlap.
        var initramfs = await Vms.InitramfsAsync(_dir, "repro.sh", "sleep 3\n");
        using var pool = new VmPool(Vms.Options with { Vms = vms }, Vms.Parser, Accelerator.Tcg);
        return await Task.WhenAll(
            pool.RunAsync(kernel.BzImage, initramfs, _dir.File("run-0/console.log")),
            pool.RunAsync(kernel.BzImage, initramfs, _dir.File("run-1/console.log")));
    }

    [QemuFact]
    public async Task A_pool_of_two_runs_two_vms_at_once_each_with_its_own_console()
    {
        var runs = await TwoRunsAsync(vms: 2);

        Assert.All(runs, r => Assert.Equal(RunResult.Ok, r.Outcome.Result));
        Assert.True(runs[0].Started < runs[1].Ended && runs[1].Started < runs[0].Ended, "the two VMs did not overlap");
        Assert.NotEqual(runs[0].ConsolePath, runs[1].ConsolePath);
        Assert.All(runs, r => Assert.Contains("culprit: repro exited with status 0", File.ReadAllText(r.ConsolePath)));
    }

    [QemuFact]
    public async Task A_pool_of_one_runs_its_vms_one_after_the_other()
    {
        var runs = await TwoRunsAsync(vms: 1);

        Assert.All(runs, r => Assert.Equal(RunResult.Ok, r.Outcome.Result));
        var (first, second) = runs[0].Started < runs[1].Started ? (runs[0], runs[1]) : (runs[1], runs[0]);
        Assert.True(first.Ended <= second.Started, "a pool of one ran two VMs at once");
    }

    [Fact]
    public void A_pool_needs_at_least_one_vm()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VmPool(Vms.Options with { Vms = 0 }, Vms.Parser, Accelerator.Tcg));
    }
}
