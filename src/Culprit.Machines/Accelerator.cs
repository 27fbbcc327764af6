namespace Culprit.Machines;

/// <summary>What <c>--accel</c> asks for: decide by trying (auto), KVM or nothing, or TCG.</summary>
public enum AccelMode
{
    /// <summary>KVM with the first CPU model that boots the probe, else TCG.</summary>
    Auto,
    /// <summary>KVM with the first CPU model that boots the probe; an error when none does.</summary>
    Kvm,
    /// <summary>TCG (QEMU's emulation): slow, but needs nothing from the host.</summary>
    Tcg,
}

/// <summary>How QEMU runs the guest's CPU: KVM with a CPU model, or TCG.</summary>
public sealed record Accelerator(bool Kvm, string? CpuModel)
{
    public static readonly Accelerator Tcg = new(false, null);

    public static Accelerator KvmWith(string cpuModel) => new(true, cpuModel);

    /// <summary>QEMU's arguments for it: <c>-accel kvm -cpu MODEL</c> or <c>-accel tcg</c>.</summary>
    public IReadOnlyList<string> QemuArguments => Kvm ? ["-accel", "kvm", "-cpu", CpuModel!] : ["-accel", "tcg"];

    public override string ToString() => Kvm ? $"KVM with -cpu {CpuModel}" : "TCG";
}

/// <summary>The accelerator the VMs will use and the line that tells the job's log which and why.</summary>
public sealed record AcceleratorChoice(Accelerator Accelerator, string Note);
