using Culprit.Core.Domain;
using Culprit.Crash;

namespace Culprit.Machines;

/// <summary>
/// Turns what a VM run showed into a <see cref="RunOutcome"/>, the way syzbot reads its test runs:
/// a crash report on the console is a crash (a boot failure when it came before init); a reproducer
/// that finished, or that was still running at the run timeout on a kernel that kept talking, is OK;
/// a console that went silent after boot is a timeout titled "no output from test machine"; anything
/// that keeps the reproducer from running at all is an infra error, never good or bad. Infra errors
/// the kernel caused (it crashed, hung or reset before init, or ended the VM itself) are marked
/// <see cref="RunOutcome.CommitFault"/>; the rest (QEMU failed, no output at all) are the machine's.
/// </summary>
public static class RunClassifier
{
    public const string NoOutput = "no output from test machine";

    public static RunOutcome Classify(VmObservation run, CrashReport? crash)
    {
        var s = run.Seconds;
        // Suppressed reports describe the test environment (syzkaller's convention), not the kernel.
        if (crash is { Suppressed: false })
        {
            return run.Booted
                ? RunOutcome.Crash(crash.Title, crash.Report, crash.AltTitles, s)
                : RunOutcome.Infra($"boot failed: {crash.Title}", s) with { CommitFault = true };
        }
        if (!run.Booted)
        {
            return RunOutcome.Infra($"boot failed: {BootFailure(run)}", s) with { CommitFault = KernelStoppedTheBoot(run) };
        }
        if (run.ReproExitStatus is { } status)
        {
            return RunOutcome.Ok(s) with { Detail = $"repro exited with status {status}" };
        }
        return run.Stop switch
        {
            VmStop.NoOutput => RunOutcome.Timeout(NoOutput, s),
            // syzkaller's C reproducers loop until they are stopped: surviving the whole run with a
            // live console is what a good kernel does.
            VmStop.RunTimeout => RunOutcome.Ok(s) with { Detail = $"repro still running after {Secs(run.Options.RunTimeout)}, no crash" },
            _ => RunOutcome.Infra($"lost connection to test machine: {LostConnection(run)}", s) with { CommitFault = !QemuFailed(run) },
        };
    }

    /// <summary>
    /// A boot that the kernel itself ended: it printed something, then hung or reset before init, and
    /// QEMU did not fail. An empty console or a QEMU error means the machine never ran the kernel.
    /// </summary>
    private static bool KernelStoppedTheBoot(VmObservation run) => !run.ConsoleEmpty && !QemuFailed(run);

    private static bool QemuFailed(VmObservation run) => run.QemuExitCode is { } code && code != 0;

    private static string BootFailure(VmObservation run)
    {
        if (run.Stop == VmStop.BootTimeout)
        {
            return run.ConsoleEmpty ? NoOutput : $"no boot marker within {Secs(run.Options.BootTimeout)}{LastLine(run)}";
        }
        if (run.QemuExitCode is { } code && code != 0)
        {
            return FirstLine(run.QemuErrors) ?? $"qemu exited with status {code}";
        }
        return run.ConsoleEmpty ? NoOutput : $"VM reset before init started{LastLine(run)}";
    }

    private static string LostConnection(VmObservation run) =>
        run.QemuExitCode is { } code && code != 0
            ? FirstLine(run.QemuErrors) ?? $"qemu exited with status {code}"
            : $"VM ended before the reproducer finished{LastLine(run)}";

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    private static string LastLine(VmObservation run)
    {
        var last = run.Console.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (last is null)
        {
            return "";
        }
        return $"; last console line: {(last.Length > 160 ? last[..160] + "…" : last)}";
    }

    private static string Secs(TimeSpan t) => $"{t.TotalSeconds:0.#} s";
}
