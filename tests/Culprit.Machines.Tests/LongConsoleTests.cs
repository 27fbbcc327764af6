using Culprit.Core.Domain;

namespace Culprit.Machines.Tests;

/// <summary>
/// A console longer than anything kept in memory (a chatty kernel after a warning): the crash parser
/// reads all of it as it arrives, so a crash at its head still names the run. No QEMU or kernel is
/// needed: a script stands in for QEMU and prints the console.
/// </summary>
public sealed class LongConsoleTests : IDisposable
{
    // Past the 16 MiB tail the console capture once kept (cut when it passed 20 MiB).
    private const long NoiseBytes = 24L * 1024 * 1024;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_crash_at_the_head_of_a_console_longer_than_the_kept_tail_names_the_run()
    {
        var qemu = FakeQemu($$"""
            #!/bin/sh
            echo '{{ConsoleMarkers.Booted}}'
            echo '[   10.000000] ------------[ cut here ]------------'
            echo '[   10.000001] WARNING: CPU: 0 PID: 1 at drivers/target.c:10 target_function+0x10/0x20 drivers/target.c:10'
            echo '[   10.000002] Modules linked in:'
            echo '[   10.000003] RIP: 0010:target_function+0x10/0x20 drivers/target.c:10'
            echo '[   10.000004] Call Trace:'
            echo '[   10.000005]  caller_function+0x1a/0x30 drivers/target.c:20'
            echo '[   10.000006]  do_syscall_64+0x35/0x80 arch/x86/entry/common.c:80'
            echo '[   10.000007] ---[ end trace 0000000000000000 ]---'
            yes '[   11.000000] the kernel goes on talking after the warning, line after line' | head -c {{NoiseBytes}}
            echo
            exit 0
            """);
        var machine = new QemuMachine(Vms.Options with { Qemu = qemu }, Vms.Parser, Accelerator.Tcg);

        var run = await machine.RunAsync(_dir.File("bzImage"), _dir.File("initramfs.cpio.gz"), _dir.File("console.log"));

        Assert.Equal(RunResult.Crashed, run.Outcome.Result);
        Assert.Equal("WARNING in target_function", run.Outcome.Title);
        Assert.True(new FileInfo(run.ConsolePath).Length > NoiseBytes);
    }

    private string FakeQemu(string script)
    {
        var path = _dir.Write("qemu-chatty", script + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
