using System.Collections.Concurrent;

namespace Culprit.Machines;

/// <summary>
/// Decides how the VMs run by trying it, never by whether /dev/kvm opens: under nested
/// virtualization KVM may open and still refuse <c>-cpu host</c> (QEMU: <c>failed to set MSR
/// 0x10a</c>). KVM is probed with <c>-cpu host</c> (with --accel kvm, each of <see cref="KvmCpuModels"/>
/// in turn, the first that runs a probe VM wins); else TCG, which is probed too, so a QEMU that cannot run any VM fails before a
/// kernel is built. The decision is made once per QEMU binary and mode in a process (and replaced
/// if KVM then boots no kernel: <see cref="KvmSilenceFallback"/>).
/// </summary>
public static class Accelerators
{
    /// <summary>
    /// What syzbot runs (<c>host</c>), then host without the feature nested hypervisors most often
    /// cannot pass on (IA32_ARCH_CAPABILITIES, MSR 0x10a), then a plain named model.
    /// </summary>
    public static readonly IReadOnlyList<string> KvmCpuModels = ["host", "host,-arch-capabilities", "qemu64"];

    private static readonly ConcurrentDictionary<(string Qemu, AccelMode Mode), Lazy<Task<AcceleratorChoice>>> Decided = new();

    /// <summary>
    /// The accelerator for <paramref name="mode"/> with the QEMU at <paramref name="qemu"/> (a full path).
    /// <see cref="VmSetupException"/> when KVM was asked for and cannot run, or when no VM runs at all.
    /// </summary>
    public static Task<AcceleratorChoice> ChooseAsync(string qemu, AccelMode mode, CancellationToken ct = default) =>
        // The probes are short and bounded: they run to the end even when this caller gives up, so the
        // cached decision is never a cancelled one.
        Decided.GetOrAdd((qemu, mode), key => new Lazy<Task<AcceleratorChoice>>(
            () => DecideAsync(a => AcceleratorProbe.TryAsync(key.Qemu, a, CancellationToken.None), key.Mode)))
            .Value.WaitAsync(ct);

    /// <summary>
    /// Replaces the decision for <paramref name="qemu"/> and <paramref name="mode"/>, when a pool found that
    /// it does not boot kernels (<see cref="KvmSilenceFallback"/>): later pools of the process start from this one.
    /// </summary>
    internal static void Replace(string qemu, AccelMode mode, AcceleratorChoice choice) =>
        Decided[(qemu, mode)] = new Lazy<Task<AcceleratorChoice>>(Task.FromResult(choice));

    /// <summary>The decision itself, over any probe (tests give a scripted one).</summary>
    internal static async Task<AcceleratorChoice> DecideAsync(Func<Accelerator, Task<ProbeResult>> probe, AccelMode mode)
    {
        if (mode == AccelMode.Tcg)
        {
            var tcg = await probe(Accelerator.Tcg);
            return tcg.Works
                ? new AcceleratorChoice(Accelerator.Tcg, "VMs: using TCG (--accel tcg)")
                : throw new VmSetupException($"QEMU cannot run a VM here with --accel tcg ({tcg.Reason})");
        }
        string? hostFailure = null;
        // With --accel auto only -cpu host is tried: where KVM refuses it (nested virtualization that
        // cannot pass the host's features on), other models may start a probe VM yet hang a Linux
        // boot (seen: qemu64 and host,-arch-capabilities print nothing), so the safe answer is TCG.
        // --accel kvm insists on KVM and tries the other models.
        foreach (var model in mode == AccelMode.Kvm ? KvmCpuModels : KvmCpuModels.Take(1))
        {
            var kvm = Accelerator.KvmWith(model);
            var tried = await probe(kvm);
            if (tried.Works)
            {
                return new AcceleratorChoice(kvm, hostFailure is null
                    ? $"VMs: using {kvm}"
                    : $"VMs: KVM cannot run -cpu {KvmCpuModels[0]} here ({hostFailure}), using {kvm}");
            }
            hostFailure ??= tried.Reason;
        }
        if (mode == AccelMode.Kvm)
        {
            throw new VmSetupException($"--accel kvm: KVM unusable here ({hostFailure}); use --accel auto or tcg");
        }
        var fallback = await probe(Accelerator.Tcg);
        return fallback.Works
            ? new AcceleratorChoice(Accelerator.Tcg, $"VMs: KVM unusable here ({hostFailure}), using TCG")
            : throw new VmSetupException($"QEMU cannot run a VM here: KVM unusable ({hostFailure}), TCG too ({fallback.Reason})");
    }
}
