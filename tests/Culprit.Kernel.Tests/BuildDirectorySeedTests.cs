using Culprit.Kernel.Build;
using Culprit.Kernel.Tests.Support;
using Culprit.Processes;
using Xunit.Abstractions;

namespace Culprit.Kernel.Tests;

/// <summary>
/// A job's second worker starts its O= directory from a copy of the first worker's build: real builds
/// of the test kernel tree, the copy made at another commit than the one the new worker builds.
/// </summary>
[Collection(KernelBuildCollection.Name)]
public sealed class BuildDirectorySeedTests(KernelBuildFixture fixture, ITestOutputHelper output)
{
    [KernelSourceFact]
    public async Task A_fresh_worker_copies_another_workers_build_rebuilds_only_what_differs_and_makes_the_same_kernel()
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"culprit-seed-{Guid.NewGuid():N}");
        var source = Path.Combine(scratch, "worker-2", "worktree");
        try
        {
            // The second worker's checkout is made now (newer than every object) at the culprit, 18 files away,
            // before the first worker's build, which then puts a copy of its build directory aside for it.
            await fixture.Tree.GitAsync("worktree", "add", "-q", "--detach", "-f", source, fixture.Tree.Culprit);
            var culprit = (await fixture.Tree.GitAsync("rev-parse", fixture.Tree.Culprit)).Trim();
            var first = new KernelBuilder(fixture.B.Options(fixture.Tree.Config) with { ImageDirectory = Path.Combine(scratch, "images-1") });
            var lines = new List<string>();
            var second = new KernelBuilder(fixture.B.Options(fixture.Tree.Config) with
            {
                SourceDirectory = source,
                OutputDirectory = Path.Combine(scratch, "worker-2", "build"),
                ImageDirectory = Path.Combine(scratch, "images-2"),
                Seed = new BuildDirectorySeed(first, ChangedFilesAsync, token =>
                    ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", source, "update-index", "-q", "--refresh"]), token)),
                OnOutput = line => { lock (lines) { lines.Add(line); } },
            });

            // The first worker builds the good commit for real (its own images, so make runs and the build is recorded).
            await fixture.B.CheckoutAsync(fixture.Tree.Good);
            await first.PrepareAsync(fixture.Tree.Good);
            var good = await first.BuildAsync(fixture.Tree.Good);
            Assert.True(good.Ok, good.Error);
            Assert.Equal(fixture.Tree.Good, BuildDirectoryCopy.BuiltCommit(fixture.B.Output));
            Assert.True(Directory.Exists(Path.Combine(scratch, "worker-2", "build.copying")));

            await second.PrepareAsync(culprit);
            var seeded = await second.BuildAsync(culprit);
            var compiled = lines.Count(l => l.StartsWith("  CC ", StringComparison.Ordinal));
            var objects = Directory.EnumerateFiles(fixture.B.Output, "*.o", SearchOption.AllDirectories).Count();
            output.WriteLine($"{seeded.Note}; {compiled} compiles of {objects} objects, {seeded.Seconds:F1}s");

            Assert.True(seeded.Ok, seeded.Error);
            Assert.StartsWith("O= directory started from a copy of " + fixture.B.Output, seeded.Note);
            Assert.InRange(compiled, 1, objects / 10);
            Assert.Equal(culprit, BuildDirectoryCopy.BuiltCommit(Path.Combine(scratch, "worker-2", "build")));

            // Its next commit, checked out as a job does (forced), is an incremental build too: the copy's new
            // times did not make git rewrite the checkout's files (nor make rebuild the kernel).
            lines.Clear();
            await ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", source, "checkout", "-q", "--detach", "--force", fixture.Tree.Bad]));
            var bad = (await fixture.Tree.GitAsync("rev-parse", fixture.Tree.Bad)).Trim();
            await second.PrepareAsync(bad);
            var next = await second.BuildAsync(bad);
            var compiledNext = lines.Count(l => l.StartsWith("  CC ", StringComparison.Ordinal));
            output.WriteLine($"then {bad}: {compiledNext} compiles, {next.Seconds:F1}s");
            Assert.True(next.Ok, next.Error);
            Assert.InRange(compiledNext, 0, objects / 10);

            // The same commit built where it was built all along is the same kernel.
            await fixture.B.CheckoutAsync(culprit);
            await first.PrepareAsync(culprit);
            var plain = await first.BuildAsync(culprit);
            Assert.True(plain.Ok, plain.Error);
            Assert.Equal(plain.Signature, seeded.Signature);
            Assert.NotEqual(good.Signature, seeded.Signature);
        }
        finally
        {
            await fixture.Tree.GitAsync("worktree", "remove", "--force", source).ContinueWith(_ => { });
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private async Task<IReadOnlyList<string>> ChangedFilesAsync(string from, string to, CancellationToken ct)
    {
        var diff = await ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", fixture.Tree.Repository, "diff", "--name-only", "--no-renames", from, to]), ct);
        return diff.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
