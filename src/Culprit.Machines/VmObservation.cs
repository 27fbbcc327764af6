namespace Culprit.Machines;

/// <summary>Why Culprit stopped a VM instead of letting it end by itself.</summary>
public enum VmStop
{
    /// <summary>QEMU exited by itself (reset after the reproducer, a panic, or a QEMU error).</summary>
    ExitedByItself,
    /// <summary>Init did not print the boot marker within the boot timeout.</summary>
    BootTimeout,
    /// <summary>The reproducer was still running when the run timeout ran out.</summary>
    RunTimeout,
    /// <summary>The console stayed silent longer than <see cref="VmOptions.NoOutputTimeout"/> after boot.</summary>
    NoOutput,
    /// <summary>The reproducer had finished but the VM did not reset within a few seconds.</summary>
    AfterFinish,
}

/// <summary>
/// Everything a run showed, for <see cref="RunClassifier"/>: the console's tail (for messages: the
/// crash was parsed from the whole console as it arrived), the markers seen, how it stopped, and
/// QEMU's exit status and error output when it exited by itself.
/// </summary>
public sealed record VmObservation(
    string Console,
    bool ConsoleEmpty,
    bool Booted,
    int? ReproExitStatus,
    VmStop Stop,
    int? QemuExitCode,
    string QemuErrors,
    VmOptions Options,
    double Seconds);
