using Culprit.Kernel.Build;
using Culprit.Processes;

namespace Culprit.Kernel.Tests;

/// <summary>What makes a copied O= directory right for another worker: its build records name the new paths, and its checkout's times tell make what changed.</summary>
public sealed class BuildDirectoryCopyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"culprit-copy-{Guid.NewGuid():N}");

    public BuildDirectoryCopyTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_build_records_name_the_new_workers_paths_and_keep_their_times()
    {
        var copy = Path.Combine(_dir, "copy");
        Directory.CreateDirectory(Path.Combine(copy, "kernel"));
        var cmd = Path.Combine(copy, "kernel", ".sys.o.cmd");
        File.WriteAllText(cmd, """
            cmd_kernel/sys.o := gcc -I/w1/src/include -I./include -fmacro-prefix-map=/w1/src/= -c -o kernel/sys.o /w1/src/kernel/sys.c
            source_kernel/sys.o := /w1/src/kernel/sys.c
            deps_kernel/sys.o := \
              /w1/src/include/linux/kconfig.h \
              /w1/src2/include/other.h \
              /w1/build/include/generated/autoconf.h
            """);
        var makefile = Path.Combine(copy, "Makefile");
        File.WriteAllText(makefile, "include /w1/src/Makefile\n");
        var objectFile = Path.Combine(copy, "kernel", "sys.o");
        File.WriteAllText(objectFile, "/w1/src/kernel/sys.c");
        var old = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        foreach (var file in new[] { cmd, makefile, objectFile })
        {
            File.SetLastWriteTimeUtc(file, old.AddMinutes(1));
        }
        File.SetLastWriteTimeUtc(objectFile, old);
        File.CreateSymbolicLink(Path.Combine(copy, "source"), "/w1/src");

        var oldest = BuildDirectoryCopy.Relocate(copy, "/w1/src", "/w1/build", "/jobs/7/worker-2/worktree", "/jobs/7/worker-2/build");

        Assert.Equal(old, oldest);
        Assert.Equal("""
            cmd_kernel/sys.o := gcc -I/jobs/7/worker-2/worktree/include -I./include -fmacro-prefix-map=/jobs/7/worker-2/worktree/= -c -o kernel/sys.o /jobs/7/worker-2/worktree/kernel/sys.c
            source_kernel/sys.o := /jobs/7/worker-2/worktree/kernel/sys.c
            deps_kernel/sys.o := \
              /jobs/7/worker-2/worktree/include/linux/kconfig.h \
              /w1/src2/include/other.h \
              /jobs/7/worker-2/build/include/generated/autoconf.h
            """, File.ReadAllText(cmd));
        Assert.Equal("include /jobs/7/worker-2/worktree/Makefile\n", File.ReadAllText(makefile));
        Assert.Equal("/w1/src/kernel/sys.c", File.ReadAllText(objectFile));
        Assert.Equal(old.AddMinutes(1), File.GetLastWriteTimeUtc(cmd));
        Assert.Equal(old.AddMinutes(1), File.GetLastWriteTimeUtc(makefile));
        Assert.Equal("/jobs/7/worker-2/worktree", new FileInfo(Path.Combine(copy, "source")).LinkTarget);
    }

    [Fact]
    public void Changed_files_are_newer_than_every_object_and_the_others_older()
    {
        var source = Path.Combine(_dir, "src");
        Directory.CreateDirectory(Path.Combine(source, "kernel"));
        var changed = Path.Combine(source, "kernel", "sys.c");
        var same = Path.Combine(source, "kernel", "fork.c");
        var dotfile = Path.Combine(source, ".gitignore");
        var git = Path.Combine(source, ".git");
        foreach (var file in new[] { changed, same, dotfile, git })
        {
            File.WriteAllText(file, "x");
        }
        var oldest = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var gitTime = File.GetLastWriteTimeUtc(git);

        var touched = BuildDirectoryCopy.AlignSourceTimes(source, ["kernel/sys.c", "kernel/removed.c"], oldest);

        Assert.Equal(1, touched);
        Assert.True(File.GetLastWriteTimeUtc(changed) > oldest.AddDays(1));
        Assert.True(File.GetLastWriteTimeUtc(same) < oldest);
        Assert.True(File.GetLastWriteTimeUtc(dotfile) < oldest);
        Assert.Equal(gitTime, File.GetLastWriteTimeUtc(git));
    }

    [Fact]
    public void Only_a_finished_build_is_offered_for_copying()
    {
        var output = Path.Combine(_dir, "build");
        Directory.CreateDirectory(output);
        Assert.Null(BuildDirectoryCopy.BuiltCommit(output));

        File.WriteAllText(Path.Combine(output, BuildDirectoryCopy.BuiltCommitFile), "0123abcd\n");
        Assert.Equal("0123abcd", BuildDirectoryCopy.BuiltCommit(output));

        var unfinished = new UnfinishedMark(output + ".build-unfinished");
        unfinished.Set();
        Assert.Null(BuildDirectoryCopy.BuiltCommit(output));
    }
}
