using Culprit.Crash;

namespace Culprit.Machines;

/// <summary>
/// Runs at most <see cref="VmOptions.Vms"/> VMs at once: callers may ask for as many runs as they like
/// in parallel; each waits for a free slot, then boots a fresh VM.
/// </summary>
public sealed class VmPool : IDisposable
{
    private readonly SemaphoreSlim _slots;

    public VmPool(VmOptions options, Func<string, CrashReport?> parseCrash)
    {
        if (options.Vms < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Vms, "the number of VMs must be at least 1");
        }
        Machine = new QemuMachine(options, parseCrash);
        _slots = new SemaphoreSlim(options.Vms, options.Vms);
    }

    public QemuMachine Machine { get; }

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
}
