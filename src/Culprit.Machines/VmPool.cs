using Culprit.Crash;

namespace Culprit.Machines;

/// <summary>
/// Runs at most <see cref="VmOptions.Vms"/> VMs at once: callers may ask for as many runs as they like
/// in parallel; each waits for a free slot, then boots a fresh VM.
/// </summary>
/// <remarks>
/// A KVM the probe passed has still to show that it boots a kernel: until one of its boots prints
/// anything, a boot silent for <see cref="VmOptions.KvmSilenceLimit"/> is tried again under TCG, and
/// when TCG's boot speaks the pool (and every later pool of this process) uses TCG
/// (<see cref="KvmSilenceFallback"/>). Where both are silent the kernel is what fails, and the run says so.
/// </remarks>
public sealed class VmPool : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly KvmSilenceFallback? _fallback;
    private readonly QemuMachine _machine;
    private readonly string? _probeNote;

    public VmPool(VmOptions options, Func<TextReader, CrashReport?> parseCrash, Accelerator accelerator)
    {
        CheckSize(options);
        _machine = new QemuMachine(options, parseCrash, accelerator);
        _slots = new SemaphoreSlim(options.Vms, options.Vms);
    }

    private VmPool(VmOptions options, Func<TextReader, CrashReport?> parseCrash, AcceleratorChoice choice, string qemu)
        : this(options, parseCrash, choice.Accelerator)
    {
        _probeNote = choice.Note;
        // Only where Culprit chose KVM itself: --accel kvm insists on it, whatever its boots show.
        if (choice.Accelerator.Kvm && options.Accel == AccelMode.Auto)
        {
            _fallback = new KvmSilenceFallback(_machine, new QemuMachine(options, parseCrash, Accelerator.Tcg), qemu);
        }
    }

    /// <summary>
    /// Finds QEMU, then decides the accelerator by booting a probe VM (<see cref="Accelerators"/>);
    /// <see cref="AcceleratorNote"/> says which for the job's log.
    /// </summary>
    public static async Task<VmPool> CreateAsync(VmOptions options, Func<TextReader, CrashReport?> parseCrash, CancellationToken ct = default)
    {
        CheckSize(options);
        var qemu = HostTools.RequireQemu(options.Qemu);
        var choice = await Accelerators.ChooseAsync(qemu, options.Accel, ct);
        return new VmPool(options, parseCrash, choice, qemu);
    }

    /// <summary>The machine the next VM boots on (TCG's once the pool fell back from a silent KVM).</summary>
    public QemuMachine Machine => _fallback?.Next().Machine ?? _machine;

    /// <summary>The log line that says which accelerator the VMs use and why: the probe's, or the fall-back's once it happened.</summary>
    public string? AcceleratorNote => _fallback?.Note ?? _probeNote;

    public int Size => Machine.Options.Vms;

    /// <summary>Waits for a slot, then <see cref="QemuMachine.RunAsync"/>.</summary>
    public async Task<VmRun> RunAsync(string kernelImage, string initramfs, string consolePath, CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            var (machine, watch) = _fallback?.Next() ?? (_machine, false);
            if (_fallback is null || !watch)
            {
                return await machine.RunAsync(kernelImage, initramfs, consolePath, cancellationToken);
            }
            var options = machine.Options;
            var limit = options.KvmSilenceLimit < options.BootTimeout ? options.KvmSilenceLimit : options.BootTimeout;
            var run = await machine.RunAsync(kernelImage, initramfs, consolePath, cancellationToken, firstOutputLimit: limit);
            if (!run.ConsoleEmpty)
            {
                _fallback.Confirm();
                return run;
            }
            var retry = await _fallback.Tcg.RunAsync(kernelImage, initramfs, consolePath, cancellationToken);
            if (!retry.ConsoleEmpty)
            {
                _fallback.Switch(run, limit);
            }
            return retry;
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private static void CheckSize(VmOptions options)
    {
        if (options.Vms < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Vms, "the number of VMs must be at least 1");
        }
    }
}
