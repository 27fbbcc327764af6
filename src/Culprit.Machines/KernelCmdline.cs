namespace Culprit.Machines;

/// <summary>The kernel command line test VMs boot with.</summary>
public static class KernelCmdline
{
    /// <summary>
    /// As syzbot's: every oops and WARN panics (<c>oops=panic panic_on_warn=1</c>, and a hard lockup
    /// too with <c>nmi_watchdog=panic</c>), so the first report is the one on the console and nothing
    /// that follows muddles it; <c>panic=-1</c> resets at once instead of waiting, and QEMU's
    /// <c>-no-reboot</c> turns the reset into its exit. The console is the first serial port, with
    /// <c>earlyprintk</c> so a kernel that dies before its console driver still says why.
    /// </summary>
    public const string Default = "console=ttyS0 earlyprintk=serial oops=panic panic_on_warn=1 panic=-1 nmi_watchdog=panic";

    public static string For(VmOptions options) =>
        string.IsNullOrWhiteSpace(options.ExtraCmdline) ? Default : $"{Default} {options.ExtraCmdline.Trim()}";
}
