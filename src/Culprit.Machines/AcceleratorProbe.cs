using Culprit.Processes;

namespace Culprit.Machines;

/// <summary>
/// Boots a probe VM with one accelerator and CPU model: a 64 KiB firmware that switches to long mode
/// as a kernel does and then writes one byte to QEMU's isa-debug-exit port, so QEMU exits with a status
/// only a guest that really ran that far can produce. It answers in a fraction of a second; anything else (QEMU's error, another status,
/// no answer) means the accelerator cannot run the test VMs, and QEMU's reason says why.
/// </summary>
internal static class AcceleratorProbe
{
    private const byte ExitValue = 0x2a;
    private const int ExpectedStatus = (ExitValue << 1) | 1; // isa-debug-exit's rule

    /// <summary>
    /// Generous: a loaded 2-core machine starts QEMU in well under a second. An accelerator that cannot
    /// run the probe usually hangs it rather than failing, so this is also what such a machine waits once.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

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
    /// A BIOS image (QEMU wants a multiple of 64 KiB, mapped to end at 4 GiB) that does what a kernel's
    /// boot does before it prints anything: from the reset vector (real mode, 16 bytes before the end) it
    /// loads a GDT, enters protected mode, builds identity page tables in low RAM (and a 2 MiB page over
    /// the firmware itself), turns on PAE, long mode and paging, jumps to a 64-bit code segment, and only
    /// there writes 0x2a to isa-debug-exit. A probe that stayed in real mode was not enough: a KVM that
    /// runs only guests written for it (seen: kvm-pvm, with /dev/kvm present and no VMX in the CPU) runs
    /// real-mode code and SeaBIOS, and hangs a Linux kernel at its first instructions with no output.
    /// Every byte the code does not use is <c>hlt</c>.
    /// </summary>
    internal static byte[] Firmware()
    {
        var image = new byte[64 * 1024];
        Array.Fill(image, (byte)0xF4);
        const uint Base = 0xFFFF0000; // where the image's first byte is mapped
        byte[] code =
        [
            // 16-bit, CS base 0xFFFF0000: cli; lgdt cs:[0xC0]; cr0.PE = 1; jmp far 0x08:Base+0x1A
            0xFA, 0x2E, 0x66, 0x0F, 0x01, 0x16, 0xC0, 0x00,
            0x0F, 0x20, 0xC0, 0x66, 0x83, 0xC8, 0x01, 0x0F, 0x22, 0xC0,
            0x66, 0xEA, 0x1A, 0x00, 0xFF, 0xFF, 0x08, 0x00,
            // 32-bit at 0x1A: ds = es = ss = 0x10; zero 16 KiB at 0x1000 (rep stosd)
            0x66, 0xB8, 0x10, 0x00, 0x8E, 0xD8, 0x8E, 0xC0, 0x8E, 0xD0,
            0xBF, 0x00, 0x10, 0x00, 0x00, 0x31, 0xC0, 0xB9, 0x00, 0x10, 0x00, 0x00, 0xF3, 0xAB,
            // PML4[0] = 0x2003; PDPT[0] = 0x3003; PDPT[3] = 0x4003; PD0[0] = 0 (2 MiB page); PD3[511] = 0xFFE00000 (2 MiB page)
            0xC7, 0x05, 0x00, 0x10, 0x00, 0x00, 0x03, 0x20, 0x00, 0x00,
            0xC7, 0x05, 0x00, 0x20, 0x00, 0x00, 0x03, 0x30, 0x00, 0x00,
            0xC7, 0x05, 0x18, 0x20, 0x00, 0x00, 0x03, 0x40, 0x00, 0x00,
            0xC7, 0x05, 0x00, 0x30, 0x00, 0x00, 0x83, 0x00, 0x00, 0x00,
            0xC7, 0x05, 0xF8, 0x4F, 0x00, 0x00, 0x83, 0x00, 0xE0, 0xFF,
            // cr4.PAE = 1; cr3 = 0x1000; EFER.LME = 1 (rdmsr/wrmsr 0xC0000080); cr0.PG = 1
            0x0F, 0x20, 0xE0, 0x83, 0xC8, 0x20, 0x0F, 0x22, 0xE0,
            0xB8, 0x00, 0x10, 0x00, 0x00, 0x0F, 0x22, 0xD8,
            0xB9, 0x80, 0x00, 0x00, 0xC0, 0x0F, 0x32, 0x0D, 0x00, 0x01, 0x00, 0x00, 0x0F, 0x30,
            0x0F, 0x20, 0xC0, 0x0D, 0x00, 0x00, 0x00, 0x80, 0x0F, 0x22, 0xC0,
            // jmp far 0x18:Base+0x95 (the 64-bit code segment)
            0xEA, 0x95, 0x00, 0xFF, 0xFF, 0x18, 0x00,
            // 64-bit at 0x95: mov al, 0x2a; out 0xf4, al; then cli; hlt in a loop
            0xB0, ExitValue, 0xE6, 0xF4, 0xFA, 0xF4, 0xEB, 0xFC,
        ];
        code.CopyTo(image, 0);
        // The GDT: null, 32-bit code (0x08), data (0x10), 64-bit code (0x18); then its descriptor.
        ulong[] gdt = [0, 0x00CF9A000000FFFF, 0x00CF92000000FFFF, 0x00AF9A000000FFFF];
        for (var i = 0; i < gdt.Length; i++)
        {
            BitConverter.TryWriteBytes(image.AsSpan(GdtOffset + 8 * i), gdt[i]);
        }
        BitConverter.TryWriteBytes(image.AsSpan(GdtrOffset), (ushort)(8 * gdt.Length - 1));
        BitConverter.TryWriteBytes(image.AsSpan(GdtrOffset + 2), Base + GdtOffset);
        // The reset vector: jmp near to offset 0 (IP wraps at 64 KiB).
        byte[] resetVector = [0xE9, 0x0D, 0x00];
        resetVector.CopyTo(image, image.Length - 16);
        return image;
    }

    // Where the code above expects the GDT and the descriptor its lgdt loads (cs:[0xC0]).
    private const int GdtOffset = 0xA0;
    private const int GdtrOffset = 0xC0;
}

/// <summary>Whether a probe VM ran, and QEMU's reason when it did not.</summary>
internal sealed record ProbeResult(bool Works, string? Reason);
