using Culprit.Core.Domain;
using Culprit.Crash;

namespace Culprit.Machines.Tests;

/// <summary>How a run's console and end are read, on console text shaped like the real thing.</summary>
public sealed class RunClassifierTests
{
    private const string Boot = """
        [    0.000000] Linux version 6.1.0 (culprit@culprit) #1 Thu Jan  1 00:00:00 UTC 1970
        [    0.912345] Freeing unused kernel image (initmem) memory: 692K
        [    0.913000] Run /init as init process
        culprit: booted

        """;

    private const string Warning = """
        [    1.204000] ------------[ cut here ]------------
        [    1.204100] WARNING: CPU: 0 PID: 42 at drivers/misc/lkdtm/bugs.c:85 lkdtm_WARNING+0x12/0x20
        [    1.204200] Modules linked in:
        [    1.204300] CPU: 0 PID: 42 Comm: repro Not tainted 6.1.0 #1
        [    1.204400] RIP: 0010:lkdtm_WARNING+0x12/0x20
        [    1.204500] Call Trace:
        [    1.204600]  <TASK>
        [    1.204700]  lkdtm_do_action+0x15/0x30
        [    1.204800]  direct_entry+0xa9/0xf0
        [    1.204900]  full_proxy_write+0x4d/0x70
        [    1.205000]  vfs_write+0xc4/0x3a0
        [    1.205100]  ksys_write+0x5c/0xd0
        [    1.205200]  do_syscall_64+0x38/0x90
        [    1.205300]  entry_SYSCALL_64_after_hwframe+0x63/0xcd
        [    1.205400]  </TASK>
        [    1.205500] ---[ end trace 0000000000000000 ]---
        [    1.205600] Kernel panic - not syncing: panic_on_warn set ...

        """;

    private static readonly VmOptions Options = new() { BootTimeout = TimeSpan.FromSeconds(30), RunTimeout = TimeSpan.FromSeconds(60) };

    private static VmObservation Observed(string console, VmStop stop = VmStop.ExitedByItself, int? exitCode = 0, string qemuErrors = "")
    {
        var lines = console.Split('\n');
        var booted = lines.Any(l => l.Contains(ConsoleMarkers.Booted, StringComparison.Ordinal));
        var status = lines.Select(ConsoleMarkers.ExitStatus).FirstOrDefault(s => s is not null);
        return new VmObservation(console, console.Length == 0, booted, status, stop, exitCode, qemuErrors, Options, 2.5);
    }

    private static RunOutcome Classify(VmObservation run) => RunClassifier.Classify(run, LinuxCrashParser.Parse(run.Console));

    [Fact]
    public void A_crash_after_boot_is_a_crash_with_the_parsed_title_and_report()
    {
        var outcome = Classify(Observed(Boot + Warning));

        Assert.Equal(RunResult.Crashed, outcome.Result);
        Assert.Equal("WARNING in lkdtm_WARNING", outcome.Title);
        Assert.Contains("ksys_write", outcome.Detail);
        Assert.Equal(2.5, outcome.Seconds);
    }

    [Fact]
    public void A_crash_before_the_boot_marker_is_a_boot_failure_named_after_the_crash()
    {
        var outcome = Classify(Observed(Boot.Replace(ConsoleMarkers.Booted, "") + Warning));

        Assert.Equal(RunResult.InfraError, outcome.Result);
        Assert.Equal("boot failed: WARNING in lkdtm_WARNING", outcome.Detail);
    }

    [Fact]
    public void A_reproducer_that_finished_without_a_crash_is_ok_whatever_its_exit_status()
    {
        var outcome = Classify(Observed(Boot + "culprit: repro exited with status 3\n[    1.5] reboot: Restarting system\n"));

        Assert.Equal(RunResult.Ok, outcome.Result);
        Assert.Equal("repro exited with status 3", outcome.Detail);
    }

    [Fact]
    public void A_suppressed_report_does_not_make_a_crash()
    {
        var run = Observed(Boot + "culprit: repro exited with status 0\n");
        var suppressed = new CrashReport("lost connection to test machine", [], "LOST_CONNECTION", false, true, null, null, "report", 0, 1);

        Assert.Equal(RunResult.Ok, RunClassifier.Classify(run, suppressed).Result);
    }

    [Fact]
    public void A_console_gone_silent_after_boot_is_a_timeout_titled_no_output_from_test_machine()
    {
        var outcome = Classify(Observed(Boot + "culprit: alive\n", VmStop.NoOutput, exitCode: null));

        Assert.Equal(RunResult.TimedOut, outcome.Result);
        Assert.Equal("no output from test machine", outcome.Title);
    }

    [Fact]
    public void A_reproducer_still_running_at_the_run_timeout_on_a_live_kernel_is_ok()
    {
        var outcome = Classify(Observed(Boot + "culprit: alive\nculprit: alive\n", VmStop.RunTimeout, exitCode: null));

        Assert.Equal(RunResult.Ok, outcome.Result);
        Assert.Equal("repro still running after 60 s, no crash", outcome.Detail);
    }

    [Fact]
    public void A_vm_that_ends_after_boot_without_the_end_marker_is_a_lost_connection()
    {
        var outcome = Classify(Observed(Boot + "[    1.3] reboot: Restarting system\n"));

        Assert.Equal(RunResult.InfraError, outcome.Result);
        Assert.Equal("lost connection to test machine: VM ended before the reproducer finished; last console line: [    1.3] reboot: Restarting system", outcome.Detail);
    }

    [Fact]
    public void No_output_at_all_before_the_boot_timeout_is_boot_failed_no_output_from_test_machine()
    {
        var outcome = Classify(Observed("", VmStop.BootTimeout, exitCode: null));

        Assert.Equal(RunResult.InfraError, outcome.Result);
        Assert.Equal("boot failed: no output from test machine", outcome.Detail);
    }

    [Fact]
    public void Output_without_the_boot_marker_before_the_boot_timeout_is_boot_failed_with_the_last_line()
    {
        var outcome = Classify(Observed("[    0.1] Linux version 6.1.0\n[    0.2] Calibrating delay loop\n", VmStop.BootTimeout, exitCode: null));

        Assert.Equal("boot failed: no boot marker within 30 s; last console line: [    0.2] Calibrating delay loop", outcome.Detail);
    }

    [Fact]
    public void A_qemu_error_before_boot_is_boot_failed_with_the_qemu_message()
    {
        const string error = "qemu-system-x86_64: could not load kernel '/nope/bzImage': No such file or directory";

        var outcome = Classify(Observed(error + "\n", exitCode: 1, qemuErrors: error + "\n"));

        Assert.Equal(RunResult.InfraError, outcome.Result);
        Assert.Equal($"boot failed: {error}", outcome.Detail);
    }

    [Fact]
    public void Boot_failures_the_kernel_caused_are_marked_as_the_commits_fault()
    {
        var panicBeforeInit = Classify(Observed(Boot.Replace(ConsoleMarkers.Booted, "") + Warning));
        var hungBeforeInit = Classify(Observed("[    0.1] Linux version 6.1.0\n", VmStop.BootTimeout, exitCode: null));
        var resetBeforeInit = Classify(Observed("[    0.1] Linux version 6.1.0\n", exitCode: 0));
        var endedAfterBoot = Classify(Observed(Boot + "[    1.3] reboot: Restarting system\n"));

        Assert.All([panicBeforeInit, hungBeforeInit, resetBeforeInit, endedAfterBoot], o =>
        {
            Assert.Equal(RunResult.InfraError, o.Result);
            Assert.True(o.CommitFault, o.Detail);
        });
        Assert.False(new CommitOutcome("c", true, [panicBeforeInit, hungBeforeInit]).Untestable);
    }

    [Fact]
    public void A_vm_that_never_ran_the_kernel_is_the_machines_fault()
    {
        const string error = "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69";
        var qemuError = Classify(Observed(error + "\n", exitCode: 134, qemuErrors: error + "\n"));
        var silent = Classify(Observed("", VmStop.BootTimeout, exitCode: null));
        var qemuDiedAfterBoot = Classify(Observed(Boot, exitCode: 137, qemuErrors: "qemu-system-x86_64: terminating on signal 9\n"));

        Assert.Equal($"boot failed: {error}", qemuError.Detail);
        Assert.All([qemuError, silent, qemuDiedAfterBoot], o =>
        {
            Assert.Equal(RunResult.InfraError, o.Result);
            Assert.False(o.CommitFault, o.Detail);
        });
        Assert.True(new CommitOutcome("c", true, [qemuError, silent]).Untestable);
        Assert.False(new CommitOutcome("c", true, [qemuError, RunOutcome.Ok()]).Untestable);
    }
}
