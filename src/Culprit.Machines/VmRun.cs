using Culprit.Core.Domain;

namespace Culprit.Machines;

/// <summary>
/// One boot of a test VM. <paramref name="Outcome"/> is what the job records; the rest is for the log
/// and the report: the console file (kept), when QEMU started and ended, whether and when init printed
/// the boot marker, the reproducer's exit status and QEMU's own exit status (null when it was killed).
/// </summary>
public sealed record VmRun(
    RunOutcome Outcome,
    string ConsolePath,
    DateTimeOffset Started,
    DateTimeOffset Ended,
    double? BootSeconds,
    int? ReproExitStatus,
    int? QemuExitCode)
{
    public bool Booted => BootSeconds is not null;

    /// <summary>Whether the VM printed nothing at all: QEMU never ran the kernel, or the kernel never got to its first line.</summary>
    public bool ConsoleEmpty { get; init; }

    public double Seconds => (Ended - Started).TotalSeconds;

    /// <summary>The last <paramref name="lines"/> lines of the console, for "not reproduced" and boot failure messages.</summary>
    public string ConsoleTail(int lines = 20) =>
        File.Exists(ConsolePath) ? string.Join('\n', File.ReadLines(ConsolePath).TakeLast(lines)) : "";
}
