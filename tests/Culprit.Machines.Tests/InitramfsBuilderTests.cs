using System.IO.Compression;
using Culprit.Processes;

namespace Culprit.Machines.Tests;

public sealed class InitramfsBuilderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_same_busybox_and_reproducer_give_the_same_bytes_wherever_they_live()
    {
        var first = _dir.Write("repro.sh", "echo hi\n");
        Directory.CreateDirectory(_dir.File("elsewhere"));
        var second = _dir.Write("elsewhere/other-name.sh", "echo hi\n");
        var builder = new InitramfsBuilder();

        var a = await builder.BuildAsync(new Reproducer(first, ReproducerKind.ShellScript, first), _dir.File("a.cpio.gz"));
        await Task.Delay(1100); // a different second, so any timestamp leaking in would show
        var b = await builder.BuildAsync(new Reproducer(second, ReproducerKind.ShellScript, second), _dir.File("b.cpio.gz"));

        Assert.Equal(await File.ReadAllBytesAsync(a), await File.ReadAllBytesAsync(b));
    }

    [Fact]
    public async Task A_different_reproducer_gives_different_bytes()
    {
        var first = _dir.Write("one.sh", "echo one\n");
        var second = _dir.Write("two.sh", "echo two\n");
        var builder = new InitramfsBuilder();

        var a = await builder.BuildAsync(new Reproducer(first, ReproducerKind.ShellScript, first), _dir.File("a.cpio.gz"));
        var b = await builder.BuildAsync(new Reproducer(second, ReproducerKind.ShellScript, second), _dir.File("b.cpio.gz"));

        Assert.NotEqual(await File.ReadAllBytesAsync(a), await File.ReadAllBytesAsync(b));
    }

    [Fact]
    public async Task The_archive_is_newc_cpio_that_cpio_itself_lists_with_busybox_init_reproducer_and_console()
    {
        var script = _dir.Write("repro.sh", "echo hi\n");
        var image = await new InitramfsBuilder().BuildAsync(new Reproducer(script, ReproducerKind.ShellScript, script), _dir.File("i.cpio.gz"));
        var cpio = _dir.File("i.cpio");
        await using (var input = new GZipStream(File.OpenRead(image), CompressionMode.Decompress))
        await using (var output = File.Create(cpio))
        {
            await input.CopyToAsync(output);
        }

        var listing = await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("cpio", "-itv", "-F", cpio) with { Timeout = TimeSpan.FromSeconds(30) });

        var lines = listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("-rwxr-xr-x", StringComparison.Ordinal) && l.EndsWith(" bin/busybox", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("lrwxrwxrwx", StringComparison.Ordinal) && l.EndsWith(" bin/sh -> busybox", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("-rwxr-xr-x", StringComparison.Ordinal) && l.EndsWith(" init", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("-rwxr-xr-x", StringComparison.Ordinal) && l.EndsWith(" culprit/repro", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("crw-------", StringComparison.Ordinal) && l.Contains("5,", StringComparison.Ordinal) && l.EndsWith(" dev/console", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("drwxrwxrwt", StringComparison.Ordinal) && l.EndsWith(" tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void The_init_runs_a_shell_script_with_busybox_sh_and_ends_the_vm_with_a_forced_reboot()
    {
        var init = InitramfsBuilder.InitScript(ReproducerKind.ShellScript);

        Assert.StartsWith("#!/bin/busybox sh\n", init);
        Assert.Contains("mount -t devtmpfs devtmpfs /dev\n", init);
        Assert.Contains($"echo \"{ConsoleMarkers.Booted}\"\n", init);
        Assert.Contains("/bin/busybox sh /culprit/repro </dev/null\n", init);
        Assert.Contains($"echo \"{ConsoleMarkers.ReproExited}$?\"\n", init);
        Assert.EndsWith("reboot -f\n", init);
    }

    [Fact]
    public void A_missing_busybox_names_the_debian_package()
    {
        var error = Assert.Throws<MissingToolException>(() => new InitramfsBuilder(_dir.File("busybox")));

        Assert.Equal($"{_dir.File("busybox")} not found: install the Debian package busybox-static", error.Message);
    }

    [Fact]
    public void A_dynamically_linked_busybox_is_refused_naming_busybox_static()
    {
        var error = Assert.Throws<MissingToolException>(() => new InitramfsBuilder("/bin/ls"));

        Assert.Equal("/bin/ls is not a statically linked executable: install the Debian package busybox-static", error.Message);
    }
}
