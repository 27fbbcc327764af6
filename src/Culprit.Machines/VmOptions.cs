namespace Culprit.Machines;

/// <summary>
/// How test VMs are run: the <c>--vm-memory</c>, <c>--boot-timeout</c>, <c>--run-timeout</c> and
/// <c>--vms</c> options, plus where QEMU is and <c>--accel</c>.
/// </summary>
public sealed record VmOptions
{
    public int MemoryMb { get; init; } = 512;

    /// <summary>From QEMU's start until init prints <see cref="ConsoleMarkers.Booted"/>.</summary>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>From the boot marker until the reproducer has finished and the VM has ended.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// After boot, a console silent this long means the machine is dead (init prints a heartbeat every
    /// few seconds while the reproducer runs): the run ends as "no output from test machine".
    /// </summary>
    public TimeSpan NoOutputTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Until a kernel has printed anything under the KVM the probe chose, a boot silent this long is
    /// tried again under TCG (<see cref="VmPool"/>). With <c>earlyprintk</c> a kernel's first line comes
    /// within a second under KVM; a boot still silent after this never prints.
    /// </summary>
    public TimeSpan KvmSilenceLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How many VMs a <see cref="VmPool"/> runs at once.</summary>
    public int Vms { get; init; } = 1;

    /// <summary>The QEMU program: a name looked up on PATH or a path.</summary>
    public string Qemu { get; init; } = HostTools.DefaultQemu;

    /// <summary><c>--accel</c>: how <see cref="Accelerators"/> picks KVM or TCG.</summary>
    public AccelMode Accel { get; init; } = AccelMode.Auto;

    /// <summary>Appended to <see cref="KernelCmdline.Default"/> (e.g. a subsystem's boot parameters).</summary>
    public string? ExtraCmdline { get; init; }
}
