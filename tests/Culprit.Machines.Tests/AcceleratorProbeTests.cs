using Culprit.Core.Domain;
using Xunit.Abstractions;

namespace Culprit.Machines.Tests;

/// <summary>
/// The accelerator decided by booting probe VMs with real QEMU, on this machine and behind wrappers
/// that break KVM the way nested virtualization does; the choice then boots the real test kernel.
/// </summary>
[Collection(VmCollection.Name)]
public sealed class AcceleratorProbeTests(TestKernel kernel, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<VmRun> BootAsync(VmPool pool)
    {
        var initramfs = await Vms.InitramfsAsync(_dir, "repro.sh", "echo probed\nexit 0\n");
        var run = await pool.RunAsync(kernel.BzImage, initramfs, _dir.File("console.log"));
        output.WriteLine($"{pool.Machine.Accelerator}: {run.Outcome.Describe()} {run.Outcome.Detail}, boot {run.BootSeconds:0.0} s");
        return run;
    }

    [QemuFact]
    public async Task Where_kvm_fails_to_set_msr_0x10a_the_vms_fall_back_to_tcg_say_so_and_boot()
    {
        using var pool = await AssertTcgBootsAsync(QemuWrappers.KvmFailsWithMsrError(_dir), "failed to set MSR 0x10a");

        Assert.Equal(["-accel", "tcg"], pool.Machine.Arguments("/k", "/i").TakeLast(2));
    }

    /// <summary>The VMs of a pool on <paramref name="qemu"/> use TCG, the note gives KVM's failure, and the test kernel boots.</summary>
    private async Task<VmPool> AssertTcgBootsAsync(string qemu, string kvmFailure)
    {
        var pool = await VmPool.CreateAsync(Vms.Options with { Qemu = qemu }, Vms.Parser);
        try
        {
            Assert.Equal(Accelerator.Tcg, pool.Machine.Accelerator);
            Assert.Equal($"VMs: KVM unusable here ({kvmFailure}), using TCG", pool.AcceleratorNote);
            Assert.Equal(RunResult.Ok, (await BootAsync(pool)).Outcome.Result);
            return pool;
        }
        catch
        {
            pool.Dispose();
            throw;
        }
    }

    [QemuFact]
    public async Task Accel_kvm_where_kvm_fails_is_a_one_line_error()
    {
        var qemu = QemuWrappers.KvmFailsWithMsrError(_dir);

        var error = await Assert.ThrowsAsync<VmSetupException>(() => VmPool.CreateAsync(Vms.Options with { Qemu = qemu, Accel = AccelMode.Kvm }, Vms.Parser));

        Assert.Equal("--accel kvm: KVM unusable here (failed to set MSR 0x10a); use --accel auto or tcg", error.Message);
    }

    [QemuFact]
    public async Task Where_kvm_refuses_only_cpu_host_the_vms_use_tcg_and_boot()
    {
        using var pool = await AssertTcgBootsAsync(QemuWrappers.KvmRefusesCpuHostOnly(_dir), "failed to set MSR 0x10a");
    }

    [QemuFact]
    public async Task Where_kvm_runs_the_bios_but_no_kernel_the_probe_fails_it_and_the_vms_boot_with_tcg()
    {
        // A probe that only ran real-mode code passed such a KVM, and every kernel boot then failed with
        // no output (seen on a machine with kvm-pvm: /dev/kvm present, no VMX).
        using var pool = await AssertTcgBootsAsync(QemuWrappers.KvmRunsOnlyRealMode(_dir), "the probe VM reset before it reached 64-bit mode");
    }

    [QemuFact]
    public async Task Where_kvm_passes_the_probe_but_a_kernel_boot_says_nothing_the_run_is_made_again_with_tcg_and_tcg_stays()
    {
        var qemu = QemuWrappers.KvmBootsNoKernel(_dir);
        var options = Vms.Options with { Qemu = qemu, KvmSilenceLimit = TimeSpan.FromSeconds(3) };
        using var pool = await VmPool.CreateAsync(options, Vms.Parser);
        Assert.Equal(Accelerator.KvmWith("host"), pool.Machine.Accelerator);
        Assert.Equal("VMs: using KVM with -cpu host", pool.AcceleratorNote);

        var first = await BootAsync(pool);
        var second = await BootAsync(pool);

        Assert.Equal(RunResult.Ok, first.Outcome.Result);
        Assert.Equal(RunResult.Ok, second.Outcome.Result);
        const string note = "VMs: KVM passed the probe but booted no kernel here (no console output within 3 s), using TCG";
        Assert.Equal(note, pool.AcceleratorNote);
        Assert.Equal(Accelerator.Tcg, pool.Machine.Accelerator);
        // The next pool of the process starts where this one ended, without a silent boot first.
        using var next = await VmPool.CreateAsync(options, Vms.Parser);
        Assert.Equal(Accelerator.Tcg, next.Machine.Accelerator);
        Assert.Equal(note, next.AcceleratorNote);
    }

    [QemuFact]
    public async Task A_kernel_that_says_nothing_under_kvm_or_tcg_is_a_boot_failure_and_the_vms_keep_kvm()
    {
        var qemu = QemuWrappers.KvmBootsNoKernel(_dir, tcgSilentToo: true);
        var options = Vms.Options with { Qemu = qemu, KvmSilenceLimit = TimeSpan.FromSeconds(2), BootTimeout = TimeSpan.FromSeconds(4) };
        using var pool = await VmPool.CreateAsync(options, Vms.Parser);

        var run = await BootAsync(pool);

        Assert.Equal(RunResult.InfraError, run.Outcome.Result);
        Assert.Equal($"boot failed: {RunClassifier.NoOutput}", run.Outcome.Detail);
        Assert.Equal(Accelerator.KvmWith("host"), pool.Machine.Accelerator);
        Assert.Equal("VMs: using KVM with -cpu host", pool.AcceleratorNote);
    }

    [QemuFact]
    public async Task On_this_machine_the_probes_choice_boots_the_test_kernel()
    {
        using var pool = await VmPool.CreateAsync(Vms.Options, Vms.Parser);
        output.WriteLine(pool.AcceleratorNote);

        var run = await BootAsync(pool);

        Assert.Equal(RunResult.Ok, run.Outcome.Result);
        Assert.StartsWith("VMs: ", pool.AcceleratorNote);
    }

    [QemuFact]
    public async Task The_probe_runs_a_tcg_vm_with_the_real_qemu()
    {
        var result = await AcceleratorProbe.TryAsync(HostTools.RequireQemu(), Accelerator.Tcg, CancellationToken.None);

        Assert.True(result.Works, result.Reason);
    }

    [QemuFact]
    public async Task A_probe_that_qemu_fails_carries_qemus_reason()
    {
        var result = await AcceleratorProbe.TryAsync(QemuWrappers.AlwaysFails(_dir), Accelerator.Tcg, CancellationToken.None);

        Assert.Equal(new ProbeResult(false, "failed to set MSR 0x10a"), result);
    }

    [QemuFact]
    public async Task Runs_on_a_qemu_that_cannot_start_a_vm_are_machine_infra_errors_and_leave_the_commit_untestable()
    {
        var machine = new QemuMachine(Vms.Options with { Qemu = QemuWrappers.AlwaysFails(_dir) }, Vms.Parser, Accelerator.KvmWith("host"));
        var initramfs = await Vms.InitramfsAsync(_dir, "repro.sh", "exit 0\n");

        var runs = new List<RunOutcome>();
        for (var i = 0; i < 2; i++)
        {
            runs.Add((await machine.RunAsync(kernel.BzImage, initramfs, _dir.File($"run-{i}/console.log"))).Outcome);
        }

        Assert.All(runs, r =>
        {
            Assert.Equal(RunResult.InfraError, r.Result);
            Assert.Equal($"boot failed: {QemuWrappers.MsrError}", r.Detail);
            Assert.False(r.CommitFault);
        });
        Assert.True(new CommitOutcome("c", true, runs).Untestable);
    }
}
