using Culprit.Processes;

namespace Culprit.Machines;

/// <summary>
/// Boots a probe VM with one accelerator and CPU model: a 64 KiB firmware whose reset vector writes
/// one byte to QEMU's isa-debug-exit port, so QEMU exits with a status only a guest that really ran
/// can produce. It answers in a fraction of a second; anything else (QEMU's error, another status,
/// no answer) means the accelerator cannot run the test VMs, and QEMU's reason says why.
/// </summary>
internal static class AcceleratorProbe
{
    private const byte ExitValue = 0x2a;
    private const int ExpectedStatus = (ExitValue << 1) | 1; // isa-debug-exit's rule

    /// <summary>Generous: a loaded 2-core machine starts QEMU in well under a second.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<ProbeResult> TryAsync(string qemu, Accelerator accelerator, CancellationToken ct)
    {
        var firmware = Path.Combine(Path.GetTempPath(), $"culprit-probe-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(firmware, Firmware(), ct);
        try
        {
            var spec = new ProcessSpec(qemu, Arguments(accelerator, firmware)) { Timeout = Timeout, MaxCapturedChars = 64 * 1024 };
            ProcessResult result;
            try
            {
                result = await ProcessRunner.RunAsync(spec, ct);
            }
            catch (ProcessStartException ex)
            {
                return new ProbeResult(false, ex.Message);
            }
            return result is { TimedOut: false, ExitCode: ExpectedStatus }
                ? new ProbeResult(true, null)
                : new ProbeResult(false, QemuErrorText.Describe(result.StandardError, result.ExitCode, result.TimedOut, Timeout));
        }
        finally
        {
            File.Delete(firmware);
        }
    }

    /// <summary>The same machine and accelerator arguments as the runs, with the probe firmware instead of a kernel.</summary>
    public static IReadOnlyList<string> Arguments(Accelerator accelerator, string firmware) =>
    [
        .. accelerator.QemuArguments,
        "-m", "16", "-smp", "1",
        "-nodefaults", "-no-user-config", "-display", "none", "-serial", "none", "-no-reboot",
        "-bios", firmware,
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x1",
    ];

    /// <summary>
    /// A BIOS image (QEMU wants a multiple of 64 KiB, mapped to end at 4 GiB): the CPU starts 16 bytes
    /// before its end, in real mode. <c>mov al, 0x2a; out 0xf4, al</c> exits QEMU; <c>cli; hlt</c>
    /// in a loop stops a guest whose write went nowhere. Every other byte is <c>hlt</c>.
    /// </summary>
    internal static byte[] Firmware()
    {
        var image = new byte[64 * 1024];
        Array.Fill(image, (byte)0xF4);
        byte[] resetVector = [0xB0, ExitValue, 0xE6, 0xF4, 0xFA, 0xF4, 0xEB, 0xFD];
        resetVector.CopyTo(image, image.Length - 16);
        return image;
    }
}

/// <summary>Whether a probe VM ran, and QEMU's reason when it did not.</summary>
internal sealed record ProbeResult(bool Works, string? Reason);
