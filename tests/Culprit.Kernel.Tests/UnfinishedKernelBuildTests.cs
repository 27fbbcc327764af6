using Culprit.Core.Testing;
using Culprit.Kernel.Build;

namespace Culprit.Kernel.Tests;

/// <summary>
/// A kernel build that never finished leaves half-written objects in O= with fresh times, which
/// kbuild would take for up-to-date ones: the next build there starts from an empty O= directory.
/// The tree is a stand-in whose Makefile builds as make does (an output newer than its source is kept).
/// </summary>
public sealed class UnfinishedKernelBuildTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("culprit-unfinished-kernel-");

    public void Dispose() => _dir.Delete(true);

    [Fact]
    public async Task The_build_after_one_that_timed_out_starts_from_an_empty_output_directory()
    {
        var tree = Directory.CreateDirectory(Path.Combine(_dir.FullName, "linux")).FullName;
        // With the file "hang" in the tree, the build writes half an object and hangs, as a compiler killed with its machine.
        File.WriteAllText(Path.Combine(tree, "Makefile"),
            "VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n\n" +
            "olddefconfig:\n\t@true\n\n" +
            "bzImage:\n" +
            "\t@mkdir -p $(O)/arch/x86/boot\n" +
            "\t@if [ -e hang ]; then echo half > $(O)/obj; sleep 60; fi\n" +
            "\t@if [ ! -e $(O)/obj ] || [ main.c -nt $(O)/obj ]; then cp main.c $(O)/obj; fi\n" +
            "\t@cp $(O)/obj $(O)/arch/x86/boot/bzImage\n");
        File.WriteAllText(Path.Combine(tree, "main.c"), "whole\n");
        var config = Path.Combine(_dir.FullName, "config");
        File.WriteAllText(config, "CONFIG_64BIT=y\n");
        var output = Path.Combine(_dir.FullName, "build");

        File.WriteAllText(Path.Combine(tree, "hang"), "");
        var stalled = new KernelBuilder(new KernelBuildOptions(tree, output, config) { Timeout = TimeSpan.FromSeconds(5) });
        await stalled.PrepareAsync("A");
        Assert.False((await stalled.BuildAsync("A")).Ok);
        Assert.Equal("half\n", File.ReadAllText(Path.Combine(output, "obj")));
        File.Delete(Path.Combine(tree, "hang"));

        var builder = new KernelBuilder(new KernelBuildOptions(tree, output, config));
        await builder.PrepareAsync("B");
        var build = await builder.BuildAsync("B");

        Assert.True(build.Ok, build.Error);
        Assert.Equal(BuildResult.AfterUnfinishedBuild, build.Note);
        Assert.Equal("whole\n", File.ReadAllText(build.Artifact!));

        // That build finished: the next one keeps its objects.
        await builder.PrepareAsync("C");
        Assert.Null((await builder.BuildAsync("C")).Note);
    }
}
