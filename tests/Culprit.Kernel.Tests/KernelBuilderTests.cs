using Culprit.Kernel.Build;
using Culprit.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace Culprit.Kernel.Tests;

/// <summary>Real builds of the test kernel tree (Linux 6.1, tinyconfig + tests/kernel/culprit-test.config).</summary>
[Collection(KernelBuildCollection.Name)]
public sealed class KernelBuilderTests(KernelBuildFixture fixture, ITestOutputHelper output)
{
    private async Task<Core.Testing.BuildResult> BuildAsync(BuildWorker worker, string revision, string? config = null)
    {
        await worker.CheckoutAsync(revision);
        var builder = worker.Builder(config ?? fixture.Tree.Config);
        var compiler = await builder.PrepareAsync(revision);
        var result = await builder.BuildAsync(revision);
        output.WriteLine($"{revision} in {worker.Source}: ok={result.Ok} signature={result.Signature} {result.Seconds:F1}s with {compiler}");
        return result;
    }

    [KernelSourceFact]
    public async Task The_same_commit_built_in_two_worktrees_has_the_same_signature()
    {
        var a = await BuildAsync(fixture.A, fixture.Tree.Good);
        var b = await BuildAsync(fixture.B, fixture.Tree.Good);

        Assert.True(a.Ok, a.Error);
        Assert.True(b.Ok, b.Error);
        Assert.Matches("^[0-9a-f]{64}$", a.Signature);
        Assert.Equal(a.Signature, b.Signature);
    }

    [KernelSourceFact]
    public async Task The_build_is_described_by_its_compiler_and_kept_under_its_signature()
    {
        var result = await BuildAsync(fixture.A, fixture.Tree.Good);

        Assert.Equal(await CompilerSpec.Gcc.DescribeAsync(), result.Compiler);
        Assert.NotNull(result.Artifact);
        Assert.Equal(Path.Combine(fixture.A.Output + ".images", result.Signature!, "bzImage"), result.Artifact);
        Assert.Equal(result.Signature, await KernelBuilder.SignatureAsync(result.Artifact));
    }

    [KernelSourceFact]
    public async Task A_commit_another_worker_of_the_machine_built_is_found_kept_and_make_does_not_run()
    {
        var images = Path.Combine(Path.GetTempPath(), $"culprit-images-{Guid.NewGuid():N}");
        try
        {
            await fixture.A.CheckoutAsync(fixture.Tree.Good);
            var first = new KernelBuilder(fixture.A.Options(fixture.Tree.Config) with { ImageDirectory = images });
            var built = await first.BuildAsync(fixture.Tree.Good);
            Assert.True(built.Ok, built.Error);
            Assert.False(built.Kept);

            await fixture.B.CheckoutAsync(fixture.Tree.Good);
            var makeLines = new List<string>();
            var second = new KernelBuilder(fixture.B.Options(fixture.Tree.Config) with
            {
                ImageDirectory = images,
                OnOutput = line => { lock (makeLines) { makeLines.Add(line); } },
            });
            var compiler = await second.PrepareAsync(fixture.Tree.Good);
            var kept = await second.FindKeptAsync(fixture.Tree.Good);
            var again = await second.BuildAsync(fixture.Tree.Good);

            Assert.NotNull(kept);
            Assert.True(kept.Kept);
            Assert.True(again.Kept);
            Assert.Empty(makeLines);
            Assert.Equal(built.Signature, kept.Signature);
            Assert.Equal(built.Artifact, kept.Artifact);
            Assert.Equal(compiler, kept.Compiler);
            Assert.Equal(built.Inputs, kept.Inputs);
            Assert.Equal(Path.Combine(images, built.Signature!, "bzImage"), kept.Artifact);

            // Another config is another kernel: not found kept.
            var config = Path.Combine(images, "other.config");
            File.WriteAllText(config, File.ReadAllText(fixture.Tree.Config) + "CONFIG_CULPRIT_NO_SUCH_OPTION=y\n");
            var other = new KernelBuilder(fixture.B.Options(config) with { ImageDirectory = images });
            Assert.Null(await other.FindKeptAsync(fixture.Tree.Good));
        }
        finally
        {
            if (Directory.Exists(images))
            {
                Directory.Delete(images, recursive: true);
            }
        }
    }

    [KernelSourceFact]
    public async Task A_documentation_only_commit_has_the_signature_of_its_parent()
    {
        var parent = await BuildAsync(fixture.A, fixture.Tree.DocsOnly + "^");
        var docs = await BuildAsync(fixture.A, fixture.Tree.DocsOnly);

        Assert.True(docs.Ok, docs.Error);
        Assert.Equal(parent.Signature, docs.Signature);
    }

    [KernelSourceFact]
    public async Task A_commit_that_changes_compiled_code_has_a_new_signature()
    {
        var parent = await BuildAsync(fixture.A, fixture.Tree.Culprit + "^");
        var culprit = await BuildAsync(fixture.A, fixture.Tree.Culprit);

        Assert.True(parent.Ok, parent.Error);
        Assert.True(culprit.Ok, culprit.Error);
        Assert.NotEqual(parent.Signature, culprit.Signature);
    }

    [KernelSourceFact]
    public async Task A_commit_that_breaks_the_build_fails_with_its_error_line_first()
    {
        var result = await BuildAsync(fixture.B, fixture.Tree.BuildBroken);

        Assert.False(result.Ok);
        Assert.Null(result.Signature);
        var first = result.Error!.Split('\n')[0];
        Assert.StartsWith("kernel/exit.c:", first);
        Assert.Contains("error: implicit declaration of function", first);
        Assert.Contains("exit_code_to_status", first);
        Assert.DoesNotContain(fixture.B.Source, result.Error);
    }

    [KernelSourceFact]
    public async Task Config_symbols_the_tree_does_not_know_are_dropped_not_fatal()
    {
        var plain = await BuildAsync(fixture.A, fixture.Tree.Good);
        var config = Path.Combine(Path.GetTempPath(), $"culprit-extra-{Guid.NewGuid():N}.config");
        File.WriteAllText(config, File.ReadAllText(fixture.Tree.Config) + "CONFIG_CULPRIT_NO_SUCH_OPTION=y\nCONFIG_ANOTHER_GONE_OPTION=m\n");
        try
        {
            var extra = await BuildAsync(fixture.A, fixture.Tree.Good, config);

            Assert.True(extra.Ok, extra.Error);
            Assert.Equal(plain.Signature, extra.Signature);
        }
        finally
        {
            File.Delete(config);
        }
    }
}
