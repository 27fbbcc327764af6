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
    public void The_build_records_name_the_new_workers_paths()
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
        File.CreateSymbolicLink(Path.Combine(copy, "source"), "/w1/src");

        BuildDirectoryCopy.Relocate(copy, "/w1/src", "/w1/build", "/jobs/7/worker-2/worktree", "/jobs/7/worker-2/build");

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
        Assert.Equal("/jobs/7/worker-2/worktree", new FileInfo(Path.Combine(copy, "source")).LinkTarget);
    }

    [Fact]
    public void The_copy_has_one_time_the_changed_files_are_newer_and_the_other_files_keep_theirs()
    {
        var copy = Path.Combine(_dir, "copy");
        Directory.CreateDirectory(Path.Combine(copy, "kernel"));
        var objectFile = Path.Combine(copy, "kernel", "sys.o");
        var image = Path.Combine(copy, "vmlinux");
        File.WriteAllText(objectFile, "o");
        File.WriteAllText(image, "v");
        File.SetLastWriteTimeUtc(objectFile, new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var source = Path.Combine(_dir, "src");
        Directory.CreateDirectory(Path.Combine(source, "kernel"));
        var changed = Path.Combine(source, "kernel", "sys.c");
        var same = Path.Combine(source, "kernel", "fork.c");
        File.WriteAllText(changed, "x");
        File.WriteAllText(same, "y");
        var sameTime = new DateTime(2025, 6, 7, 8, 9, 10, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(same, sameTime);

        var touched = BuildDirectoryCopy.SetTimes(copy, source, ["kernel/sys.c", "kernel/removed.c"]);

        Assert.Equal(1, touched);
        var copied = File.GetLastWriteTimeUtc(objectFile);
        Assert.Equal(copied, File.GetLastWriteTimeUtc(image));
        Assert.True(File.GetLastWriteTimeUtc(changed) - copied >= BuildDirectoryCopy.Margin);
        Assert.Equal(sameTime, File.GetLastWriteTimeUtc(same));
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

/// <summary>
/// A worker's empty O= directory filled from another's build (<see cref="BuildDirectorySeed"/>), on
/// build directories laid out as kbuild leaves them (a finished build's marker and its records), no make run.
/// </summary>
public sealed class BuildDirectorySeedFillTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"culprit-fill-{Guid.NewGuid():N}");
    private readonly KernelBuilder _first;
    private readonly BuildDirectorySeed _seed;
    private readonly string _output;
    private readonly string _source;

    public BuildDirectorySeedFillTests()
    {
        var firstSource = Path.Combine(_dir, "w1", "worktree");
        var firstOutput = Path.Combine(_dir, "w1", "build");
        Directory.CreateDirectory(Path.Combine(firstOutput, "kernel"));
        File.WriteAllText(Path.Combine(firstOutput, "kernel", ".sys.o.cmd"), $"source_kernel/sys.o := {firstSource}/kernel/sys.c\n");
        File.WriteAllText(Path.Combine(firstOutput, BuildDirectoryCopy.BuiltCommitFile), "c1\n");
        _source = Path.Combine(_dir, "worker-2", "worktree");
        _output = Path.Combine(_dir, "worker-2", "build");
        Directory.CreateDirectory(Path.Combine(_source, "kernel"));
        File.WriteAllText(Path.Combine(_source, "kernel", "sys.c"), "int x;\n");
        _first = new KernelBuilder(new KernelBuildOptions(firstSource, firstOutput, "unused.config"));
        _seed = new BuildDirectorySeed(_first, (from, to, _) => Task.FromResult<IReadOnlyList<string>>(from == "c1" && to == "c2" ? ["kernel/sys.c"] : []));
        _ = new KernelBuilder(new KernelBuildOptions(_source, _output, "unused.config") { Seed = _seed });
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Between_two_builds_of_the_other_worker_its_directory_is_copied_and_made_right_for_this_checkout()
    {
        var note = await _seed.FillAsync("c2", CancellationToken.None);

        Assert.Equal($"O= directory started from a copy of {_first.Options.OutputDirectory} (its build of c1; 1 file differs): not built from scratch", note);
        Assert.Equal($"source_kernel/sys.o := {_source}/kernel/sys.c\n", File.ReadAllText(Path.Combine(_output, "kernel", ".sys.o.cmd")));
        Assert.True(File.GetLastWriteTimeUtc(Path.Combine(_source, "kernel", "sys.c")) > File.GetLastWriteTimeUtc(Path.Combine(_output, "kernel", ".sys.o.cmd")));
        Assert.False(Directory.Exists(_output + ".copying"));
    }

    [Fact]
    public async Task While_the_other_worker_builds_it_is_waited_for()
    {
        await _first.OutputGate.WaitAsync();
        var fill = _seed.FillAsync("c2", CancellationToken.None);
        await Task.Delay(200);
        Assert.False(fill.IsCompleted);
        Assert.False(Directory.Exists(_output));

        _first.OutputGate.Release();

        Assert.StartsWith("O= directory started from a copy of ", await fill);
        Assert.True(File.Exists(Path.Combine(_output, "kernel", ".sys.o.cmd")));
    }

    [Fact]
    public async Task A_copy_put_aside_at_the_end_of_the_other_workers_build_is_taken_without_waiting_for_its_next()
    {
        Assert.False(await _seed.StageAsync(_first.Options.OutputDirectory, "c1", CancellationToken.None));
        await _first.OutputGate.WaitAsync(); // its next build
        try
        {
            var fill = _seed.FillAsync("c2", CancellationToken.None);
            Assert.Same(fill, await Task.WhenAny(fill, Task.Delay(TimeSpan.FromMinutes(1))));

            Assert.StartsWith("O= directory started from a copy of ", await fill);
            Assert.Equal($"source_kernel/sys.o := {_source}/kernel/sys.c\n", File.ReadAllText(Path.Combine(_output, "kernel", ".sys.o.cmd")));
        }
        finally
        {
            _first.OutputGate.Release();
        }
        // Taken once: the other worker's later builds put nothing aside any more.
        Assert.False(await _seed.StageAsync(_first.Options.OutputDirectory, "c3", CancellationToken.None));
        Assert.False(Directory.Exists(_output + ".copying"));
    }

    [Fact]
    public async Task Without_a_finished_build_to_copy_the_directory_stays_empty()
    {
        File.Delete(Path.Combine(_first.Options.OutputDirectory, BuildDirectoryCopy.BuiltCommitFile));

        Assert.Null(await _seed.FillAsync("c2", CancellationToken.None));
        Assert.False(Directory.Exists(_output));
    }
}
