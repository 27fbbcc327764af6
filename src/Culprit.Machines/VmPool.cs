using Culprit.Crash;

namespace Culprit.Machines;

/// <summary>
/// Runs at most <see cref="VmOptions.Vms"/> VMs at once: callers may ask for as many runs as they like
/// in parallel; each waits for a free slot, then boots a fresh VM.
/// </summary>
public sealed class VmPool : IDisposable
{
    private readonly SemaphoreSlim _slots;

    public VmPool(VmOptions options, Func<TextReader, CrashReport?> parseCrash, Accelerator accelerator)
    {
        CheckSize(options);
        Machine = new QemuMachine(options, parseCrash, accelerator);
        _slots = new SemaphoreSlim(options.Vms, options.Vms);
    }

    /// <summary>
    /// Finds QEMU, then decides the accelerator by booting a probe VM (<see cref="Accelerators"/>);
    /// <see cref="AcceleratorNote"/> says which for the job's log.
    /// </summary>
    public static async Task<VmPool> CreateAsync(VmOptions options, Func<TextReader, CrashReport?> parseCrash, CancellationToken ct = default)
    {
        CheckSize(options);
        var choice = await Accelerators.ChooseAsync(HostTools.RequireQemu(options.Qemu), options.Accel, ct);
        return new VmPool(options, parseCrash, choice.Accelerator) { AcceleratorNote = choice.Note };
    }

    public QemuMachine Machine { get; }

    /// <summary>The log line that says which accelerator the VMs use and why, when it was probed.</summary>
    public string? AcceleratorNote { get; private init; }

    public int Size => Machine.Options.Vms;

    /// <summary>Waits for a slot, then <see cref="QemuMachine.RunAsync"/>.</summary>
    public async Task<VmRun> RunAsync(string kernelImage, string initramfs, string consolePath, CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await Machine.RunAsync(kernelImage, initramfs, consolePath, cancellationToken);
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
