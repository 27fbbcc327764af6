namespace Culprit.Machines;

/// <summary>
/// A pool's way out of a KVM that passes the probe and still boots no kernel (nothing on the console):
/// the same run under TCG, and when TCG's boot speaks, TCG for the rest of the process. Seen on
/// kvm-pvm, whose KVM ran the BIOS but hung every kernel with no output; a probe that goes to long
/// mode now catches that one, and this catches what a probe cannot foresee. Thread-safe: the pool's
/// VMs boot side by side.
/// </summary>
internal sealed class KvmSilenceFallback(QemuMachine kvm, QemuMachine tcg, string qemu)
{
    private const int Watching = 0, Confirmed = 1, Switched = 2;
    private int _state;
    private string? _note;

    public QemuMachine Tcg => tcg;

    /// <summary>The log line of the switch to TCG once it happened; null before.</summary>
    public string? Note => Volatile.Read(ref _note);

    /// <summary>The machine the next run boots on, and whether that run is still to show that KVM boots kernels here.</summary>
    public (QemuMachine Machine, bool Watch) Next() => Volatile.Read(ref _state) switch
    {
        Watching => (kvm, true),
        Confirmed => (kvm, false),
        _ => (tcg, false),
    };

    /// <summary>A KVM boot printed something: KVM runs kernels here, no more watching.</summary>
    public void Confirm() => Interlocked.CompareExchange(ref _state, Confirmed, Watching);

    /// <summary>
    /// KVM's boot was silent and TCG's was not: TCG from now on, here and for the process's later pools.
    /// The first caller switches (VMs booting side by side may all have seen it); nothing changes once KVM was confirmed.
    /// </summary>
    public void Switch(VmRun silent, TimeSpan limit)
    {
        if (Interlocked.CompareExchange(ref _state, Switched, Watching) != Watching)
        {
            return;
        }
        var why = silent.QemuExitCode is { } code && code != 0
            ? silent.Outcome.Detail?.Replace("boot failed: ", "", StringComparison.Ordinal) ?? $"qemu exited with status {code}"
            : $"no console output within {limit.TotalSeconds:0.#} s";
        var choice = new AcceleratorChoice(Accelerator.Tcg, $"VMs: KVM passed the probe but booted no kernel here ({why}), using TCG");
        // Written before the run that switched returns, so the job reads it with that run's outcome.
        Volatile.Write(ref _note, choice.Note);
        Accelerators.Replace(qemu, AccelMode.Auto, choice);
    }
}
