using System.Diagnostics;
using Culprit.Crash;
using Culprit.Processes;

namespace Culprit.Machines;

/// <summary>
/// Boots one fresh QEMU VM per run: the kernel image, the initramfs, the console on the first serial
/// port captured to a file, with the <see cref="Accelerator"/> decided for this machine (see
/// <see cref="Accelerators"/>). A watchdog stops a VM that
/// does not boot in time, outlives the run timeout or goes silent, killing QEMU's process tree. The
/// run is classified from its console by <see cref="RunClassifier"/> with the crash parser given here.
/// </summary>
public sealed class QemuMachine
{
    // The reproducer has finished; a VM that has not reset by then is stuck in its reboot.
    private static readonly TimeSpan AfterFinishGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _qemu;
    private readonly Func<TextReader, CrashReport?> _parseCrash;

    /// <summary>Finds QEMU now: <see cref="MissingToolException"/> naming qemu-system-x86 when it is not installed.</summary>
    public QemuMachine(VmOptions options, Func<TextReader, CrashReport?> parseCrash, Accelerator accelerator)
    {
        Options = options;
        _parseCrash = parseCrash;
        _qemu = HostTools.RequireQemu(options.Qemu);
        Accelerator = accelerator;
    }

    public VmOptions Options { get; }

    public Accelerator Accelerator { get; }

    /// <summary>QEMU's arguments for one run (without the program name).</summary>
    public IReadOnlyList<string> Arguments(string kernelImage, string initramfs)
    {
        List<string> args =
        [
            "-m", Options.MemoryMb.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-smp", "1",
            "-kernel", kernelImage,
            "-initrd", initramfs,
            "-append", KernelCmdline.For(Options),
            // No default devices, display or monitor: stdout carries the serial console and nothing else.
            "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio",
            "-no-reboot",
        ];
        args.AddRange(Accelerator.QemuArguments);
        return args;
    }

    /// <summary>
    /// Boots <paramref name="kernelImage"/> with <paramref name="initramfs"/> once, writing the console
    /// to <paramref name="consolePath"/> (kept for the report). Cancelling kills the VM and throws.
    /// With <paramref name="firstOutputLimit"/>, a VM whose console is still empty that long after its
    /// start is stopped as one that did not boot (the pool's check that KVM runs kernels here: <see cref="VmPool"/>).
    /// </summary>
    public async Task<VmRun> RunAsync(string kernelImage, string initramfs, string consolePath, CancellationToken cancellationToken = default,
        TimeSpan? firstOutputLimit = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(consolePath))!);
        var started = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        using var console = new ConsoleCapture(consolePath, clock, _parseCrash);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var spec = new ProcessSpec(_qemu, Arguments(kernelImage, initramfs))
        {
            OnLine = console.Add,
            MaxCapturedChars = 1024 * 1024,
            // A backstop only: the watchdog below stops the VM first.
            Timeout = Options.BootTimeout + Options.RunTimeout + AfterFinishGrace + TimeSpan.FromSeconds(30),
        };

        var run = ProcessRunner.RunAsync(spec, stop.Token);
        var watchdog = WatchAsync(run, console, clock, stop, firstOutputLimit ?? Options.BootTimeout);
        ProcessResult? result = null;
        string? startError = null;
        try
        {
            result = await run;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The watchdog stopped the VM; ProcessRunner has killed its tree.
        }
        catch (ProcessStartException ex)
        {
            startError = ex.Message;
        }
        var stopped = await watchdog;
        clock.Stop();
        var ended = DateTimeOffset.Now;

        var progress = console.Now;
        if (result is { TimedOut: true })
        {
            stopped = progress.BootedAt is null ? VmStop.BootTimeout : VmStop.RunTimeout;
        }
        var crash = await console.CrashAsync();
        var observation = new VmObservation(
            console.Tail,
            ConsoleEmpty: !progress.HasOutput,
            Booted: progress.BootedAt is not null,
            progress.ReproExitStatus,
            stopped,
            QemuExitCode: startError is not null ? -1 : result is { TimedOut: false } ? result.ExitCode : null,
            QemuErrors: startError ?? result?.StandardError ?? "",
            Options,
            clock.Elapsed.TotalSeconds);
        var outcome = RunClassifier.Classify(observation, crash);
        return new VmRun(outcome, consolePath, started, ended, progress.BootedAt?.TotalSeconds, progress.ReproExitStatus, observation.QemuExitCode)
        {
            ConsoleEmpty = observation.ConsoleEmpty,
        };
    }

    /// <summary>Polls the run's progress and stops the VM when a deadline passes; says why it stopped it.</summary>
    private async Task<VmStop> WatchAsync(Task run, ConsoleCapture console, Stopwatch clock, CancellationTokenSource stop, TimeSpan firstOutputLimit)
    {
        while (true)
        {
            await Task.WhenAny(run, Task.Delay(WatchInterval, CancellationToken.None));
            if (run.IsCompleted)
            {
                return VmStop.ExitedByItself;
            }
            var now = clock.Elapsed;
            var progress = console.Now;
            VmStop? reason = progress.BootedAt is not { } booted
                ? now > Options.BootTimeout || (!progress.HasOutput && now > firstOutputLimit) ? VmStop.BootTimeout : null
                : progress.FinishedAt is { } finished ? now - finished > AfterFinishGrace ? VmStop.AfterFinish : null
                : now - booted > Options.RunTimeout ? VmStop.RunTimeout
                : now - progress.LastOutputAt > Options.NoOutputTimeout ? VmStop.NoOutput
                : null;
            if (reason is { } why)
            {
                await stop.CancelAsync();
                return why;
            }
        }
    }
}
