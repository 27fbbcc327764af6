using Culprit.Core.Domain;
using Culprit.Processes;
using Xunit.Abstractions;

namespace Culprit.Machines.Tests;

/// <summary>Real QEMU booting the real test kernel with a generated initramfs.</summary>
[Collection(VmCollection.Name)]
public sealed class QemuMachineTests(TestKernel kernel, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private QemuMachine Machine(VmOptions? options = null) => new(options ?? Vms.Options, Vms.Parser, Accelerator.Tcg);

    private async Task<VmRun> RunAsync(string initramfs, VmOptions? options = null, string? kernelImage = null)
    {
        var run = await Machine(options).RunAsync(kernelImage ?? kernel.BzImage, initramfs, _dir.File("console.log"));
        output.WriteLine($"{run.Outcome.Describe()} | {run.Outcome.Detail?.Split('\n')[0]} | boot {run.BootSeconds:0.00} s, run {run.Seconds:0.00} s");
        output.WriteLine(run.ConsoleTail(15));
        return run;
    }

    [QemuFact]
    public async Task A_shell_script_reproducer_that_exits_cleanly_is_ok()
    {
        var initramfs = await Vms.InitramfsAsync(_dir, "repro.sh", "echo hello from the reproducer\nexit 0\n");

        var run = await RunAsync(initramfs);

        Assert.Equal(RunResult.Ok, run.Outcome.Result);
        Assert.True(run.Booted);
        Assert.Equal(0, run.ReproExitStatus);
        Assert.Equal(0, run.QemuExitCode);
        var console = await File.ReadAllTextAsync(run.ConsolePath);
        Assert.Contains("Linux version 6.1", console);
        Assert.Contains("hello from the reproducer\n", console);
        Assert.Contains("culprit: repro exited with status 0\n", console);
    }

    [QemuFact]
    public async Task A_C_reproducer_that_makes_the_kernel_warn_crashes_with_the_function_in_the_title()
    {
        const string source = """
            #include <fcntl.h>
            #include <unistd.h>

            int main(void)
            {
                int fd = open("/sys/kernel/debug/provoke-crash/DIRECT", O_WRONLY);
                if (fd < 0)
                    return 1;
                write(fd, "WARNING", 7);
                return 2;
            }
            """;
        var initramfs = await Vms.InitramfsAsync(_dir, "warn.c", source);

        var run = await RunAsync(initramfs);

        Assert.Equal(RunResult.Crashed, run.Outcome.Result);
        Assert.Equal("WARNING in lkdtm_WARNING", run.Outcome.Title);
        Assert.Contains("lkdtm_WARNING", run.Outcome.Detail);
        Assert.Null(run.ReproExitStatus);
        Assert.Equal(0, run.QemuExitCode); // panic_on_warn, panic=-1 and -no-reboot end the VM at once
    }

    [QemuFact]
    public async Task A_panic_triggered_through_sysrq_is_a_crash_with_the_panic_in_the_report()
    {
        var initramfs = await Vms.InitramfsAsync(_dir, "sysrq.sh", "echo c > /proc/sysrq-trigger\n");

        var run = await RunAsync(initramfs);

        Assert.Equal(RunResult.Crashed, run.Outcome.Result);
        Assert.Equal("kernel panic: sysrq triggered crash", run.Outcome.Title);
        Assert.Contains("Kernel panic - not syncing: sysrq triggered crash", run.Outcome.Detail);
        Assert.Null(run.ReproExitStatus);
    }

    [QemuFact]
    public async Task A_missing_kernel_image_is_a_boot_failure_with_qemus_reason()
    {
        var initramfs = await Vms.InitramfsAsync(_dir, "repro.sh", "exit 0\n");
        var missing = _dir.File("no-such-bzImage");

        var run = await RunAsync(initramfs, kernelImage: missing);

        Assert.Equal(RunResult.InfraError, run.Outcome.Result);
        Assert.StartsWith("boot failed: qemu: could not open kernel file", run.Outcome.Detail);
        Assert.Contains(missing, run.Outcome.Detail);
        Assert.False(run.Booted);
    }

    [QemuFact]
    public async Task A_garbage_kernel_image_is_a_boot_failure()
    {
        var initramfs = await Vms.InitramfsAsync(_dir, "repro.sh", "exit 0\n");
        var garbage = _dir.Write("bzImage", string.Concat(Enumerable.Repeat("not a kernel at all\n", 4096)));

        var run = await RunAsync(initramfs, kernelImage: garbage);

        Assert.Equal(RunResult.InfraError, run.Outcome.Result);
        Assert.StartsWith("boot failed: ", run.Outcome.Detail);
        Assert.False(run.Booted);
    }

    [QemuFact]
    public async Task A_kernel_that_panics_before_init_is_a_boot_failure_named_after_the_panic()
    {
        var notAnInitramfs = _dir.Write("garbage.cpio.gz", "this is not a cpio archive\n");

        var run = await RunAsync(notAnInitramfs);

        Assert.Equal(RunResult.InfraError, run.Outcome.Result);
        // Not an archive: the kernel keeps an empty rootfs, finds no init anywhere and panics.
        Assert.StartsWith("boot failed: kernel panic: No working init found", run.Outcome.Detail);
        Assert.True(run.Outcome.CommitFault);
    }

    [QemuFact]
    public async Task A_vm_that_does_not_boot_within_the_boot_timeout_is_a_boot_failure()
    {
        var initramfs = await Vms.InitramfsAsync(_dir, "repro.sh", "exit 0\n");

        var run = await RunAsync(initramfs, Vms.Options with { BootTimeout = TimeSpan.FromSeconds(0.3) });

        Assert.Equal(RunResult.InfraError, run.Outcome.Result);
        Assert.Matches("^boot failed: (no output from test machine|no boot marker within 0.3 s; last console line: .+)$", run.Outcome.Detail!);
        Assert.Null(run.QemuExitCode);
        Assert.Empty(Vms.QemusUsing(initramfs));
    }

    [QemuFact]
    public async Task A_reproducer_still_running_at_the_run_timeout_is_killed_with_its_vm_and_is_ok()
    {
        var initramfs = await Vms.InitramfsAsync(_dir, "hang.sh", "echo going to sleep\nsleep 100000\n");
        // Long enough for init's heartbeat to show even on a loaded machine.
        var options = Vms.Options with { RunTimeout = TimeSpan.FromSeconds(15) };

        var run = await RunAsync(initramfs, options);

        Assert.Equal(RunResult.Ok, run.Outcome.Result);
        Assert.Equal("repro still running after 15 s, no crash", run.Outcome.Detail);
        Assert.Null(run.ReproExitStatus);
        Assert.Null(run.QemuExitCode);
        Assert.InRange(run.Seconds - run.BootSeconds!.Value, 15, 30);
        Assert.Contains(ConsoleMarkers.Alive, await File.ReadAllTextAsync(run.ConsolePath));
        Assert.Empty(Vms.QemusUsing(initramfs));
    }

    [QemuFact]
    public async Task A_vm_whose_console_goes_silent_after_boot_is_a_timeout_no_output_from_test_machine()
    {
        var initramfs = await Vms.InitramfsAsync(_dir, "hang.sh", "sleep 100000\n");
        var options = Vms.Options with { NoOutputTimeout = TimeSpan.FromSeconds(8) };
        var machine = Machine(options);

        var running = machine.RunAsync(kernel.BzImage, initramfs, _dir.File("console.log"));
        // Freeze the whole VM once it has booted: to the watchdog that is a kernel that stopped dead.
        while (!File.Exists(_dir.File("console.log")) || !(await ReadSharedAsync(_dir.File("console.log"))).Contains(ConsoleMarkers.Booted))
        {
            Assert.False(running.IsCompleted, "the VM ended before it booted");
            await Task.Delay(100);
        }
        foreach (var pid in Vms.QemusUsing(initramfs))
        {
            await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("kill", "-STOP", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        var run = await running;

        Assert.Equal(RunResult.TimedOut, run.Outcome.Result);
        Assert.Equal("no output from test machine", run.Outcome.Title);
        Assert.Empty(Vms.QemusUsing(initramfs));
    }

    [QemuFact]
    public async Task A_reproducer_that_resets_the_vm_itself_is_a_lost_connection_not_a_verdict()
    {
        var initramfs = await Vms.InitramfsAsync(_dir, "reset.sh", "reboot -f\n");

        var run = await RunAsync(initramfs);

        Assert.Equal(RunResult.InfraError, run.Outcome.Result);
        Assert.StartsWith("lost connection to test machine: VM ended before the reproducer finished", run.Outcome.Detail);
    }

    [QemuFact]
    public async Task Cancelling_a_run_kills_its_vm_and_throws()
    {
        var initramfs = await Vms.InitramfsAsync(_dir, "hang.sh", "sleep 100000\n");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Machine().RunAsync(kernel.BzImage, initramfs, _dir.File("console.log"), cancel.Token));

        Assert.Empty(Vms.QemusUsing(initramfs));
    }

    [Fact]
    public void A_missing_qemu_names_the_debian_package()
    {
        var error = Assert.Throws<MissingToolException>(() => new QemuMachine(Vms.Options with { Qemu = "qemu-system-nonexistent" }, Vms.Parser, Accelerator.Tcg));

        Assert.Equal("qemu-system-nonexistent not found: install the Debian package qemu-system-x86", error.Message);
    }

    [QemuFact]
    public void Without_kvm_qemu_runs_tcg_with_the_syzbot_style_command_line()
    {
        var args = Machine(Vms.Options).Arguments("/k/bzImage", "/i/initramfs.cpio.gz");

        Assert.Equal(
            ["-m", "256", "-smp", "1", "-kernel", "/k/bzImage", "-initrd", "/i/initramfs.cpio.gz", "-append", KernelCmdline.Default,
             "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot", "-accel", "tcg"],
            args);
        Assert.Contains("panic_on_warn=1", KernelCmdline.Default);
        Assert.Contains("panic=-1", KernelCmdline.Default);
    }

    [QemuFact]
    public void With_kvm_qemu_runs_the_cpu_model_the_probe_chose()
    {
        var args = new QemuMachine(Vms.Options, Vms.Parser, Accelerator.KvmWith("host,-arch-capabilities")).Arguments("/k/bzImage", "/i/initramfs.cpio.gz");

        Assert.Equal(["-no-reboot", "-accel", "kvm", "-cpu", "host,-arch-capabilities"], args.TakeLast(5));
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
