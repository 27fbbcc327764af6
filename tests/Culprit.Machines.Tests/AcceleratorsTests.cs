namespace Culprit.Machines.Tests;

/// <summary>The accelerator decision over a scripted probe: which QEMU configurations run a VM here.</summary>
public sealed class AcceleratorsTests
{
    private const string Msr = "failed to set MSR 0x10a";

    /// <summary>A probe that says yes to the accelerators listed and no, with <paramref name="reason"/>, to the rest; it notes what was tried.</summary>
    private static Func<Accelerator, Task<ProbeResult>> Probe(List<Accelerator> tried, string reason, params Accelerator[] working) => a =>
    {
        tried.Add(a);
        return Task.FromResult(working.Contains(a) ? new ProbeResult(true, null) : new ProbeResult(false, reason));
    };

    [Fact]
    public async Task Where_kvm_runs_cpu_host_that_is_what_the_vms_use()
    {
        var tried = new List<Accelerator>();

        var choice = await Accelerators.DecideAsync(Probe(tried, Msr, Accelerator.KvmWith("host")), AccelMode.Auto);

        Assert.Equal(Accelerator.KvmWith("host"), choice.Accelerator);
        Assert.Equal("VMs: using KVM with -cpu host", choice.Note);
        Assert.Equal([Accelerator.KvmWith("host")], tried);
    }

    [Fact]
    public async Task Where_kvm_refuses_cpu_host_the_vms_use_tcg_even_if_another_model_would_start()
    {
        // Under nested virtualization a model that starts a probe VM may still hang a Linux boot.
        var tried = new List<Accelerator>();

        var choice = await Accelerators.DecideAsync(Probe(tried, Msr, Accelerator.KvmWith("host,-arch-capabilities"), Accelerator.Tcg), AccelMode.Auto);

        Assert.Equal(Accelerator.Tcg, choice.Accelerator);
        Assert.Equal("VMs: KVM unusable here (failed to set MSR 0x10a), using TCG", choice.Note);
        Assert.Equal([Accelerator.KvmWith("host"), Accelerator.Tcg], tried);
    }

    [Fact]
    public async Task Accel_kvm_where_kvm_refuses_cpu_host_takes_a_model_it_runs_and_names_it()
    {
        var tried = new List<Accelerator>();

        var choice = await Accelerators.DecideAsync(Probe(tried, Msr, Accelerator.KvmWith("host,-arch-capabilities"), Accelerator.Tcg), AccelMode.Kvm);

        Assert.Equal(["-accel", "kvm", "-cpu", "host,-arch-capabilities"], choice.Accelerator.QemuArguments);
        Assert.Equal("VMs: KVM cannot run -cpu host here (failed to set MSR 0x10a), using KVM with -cpu host,-arch-capabilities", choice.Note);
    }

    [Fact]
    public async Task Where_no_kvm_model_runs_the_vms_use_tcg_and_say_why()
    {
        var tried = new List<Accelerator>();

        var choice = await Accelerators.DecideAsync(Probe(tried, Msr, Accelerator.Tcg), AccelMode.Auto);

        Assert.Equal(Accelerator.Tcg, choice.Accelerator);
        Assert.Equal("VMs: KVM unusable here (failed to set MSR 0x10a), using TCG", choice.Note);
        Assert.Equal([Accelerator.KvmWith("host"), Accelerator.Tcg], tried);
    }

    [Fact]
    public async Task Accel_kvm_where_kvm_cannot_run_is_a_one_line_error()
    {
        var tried = new List<Accelerator>();

        var error = await Assert.ThrowsAsync<VmSetupException>(() => Accelerators.DecideAsync(Probe(tried, Msr, Accelerator.Tcg), AccelMode.Kvm));

        Assert.Equal("--accel kvm: KVM unusable here (failed to set MSR 0x10a); use --accel auto or tcg", error.Message);
        Assert.DoesNotContain(Accelerator.Tcg, tried);
    }

    [Fact]
    public async Task Accel_kvm_still_takes_a_kvm_model_that_runs()
    {
        var choice = await Accelerators.DecideAsync(Probe([], Msr, Accelerator.KvmWith("qemu64")), AccelMode.Kvm);

        Assert.Equal(Accelerator.KvmWith("qemu64"), choice.Accelerator);
    }

    [Fact]
    public async Task Accel_tcg_does_not_try_kvm()
    {
        var tried = new List<Accelerator>();

        var choice = await Accelerators.DecideAsync(Probe(tried, Msr, Accelerator.Tcg, Accelerator.KvmWith("host")), AccelMode.Tcg);

        Assert.Equal(Accelerator.Tcg, choice.Accelerator);
        Assert.Equal("VMs: using TCG (--accel tcg)", choice.Note);
        Assert.Equal([Accelerator.Tcg], tried);
    }

    [Fact]
    public async Task A_qemu_that_runs_no_vm_at_all_is_an_error_before_anything_is_built()
    {
        var error = await Assert.ThrowsAsync<VmSetupException>(() => Accelerators.DecideAsync(Probe([], "qemu exited with status 1"), AccelMode.Auto));

        Assert.Equal("QEMU cannot run a VM here: KVM unusable (qemu exited with status 1), TCG too (qemu exited with status 1)", error.Message);
    }
}
