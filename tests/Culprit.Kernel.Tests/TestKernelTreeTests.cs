using Culprit.Kernel.Releases;
using Culprit.Kernel.Tests.Support;
using Culprit.Processes;

namespace Culprit.Kernel.Tests;

/// <summary>The real test kernel tree and its reproducer are what the kernel-mode tests assume.</summary>
public sealed class TestKernelTreeTests
{
    private static readonly string Reproducer = RepositoryRoot.Combine("tests", "kernel", "repro-sethostname.c");

    [KernelSourceFact]
    public async Task The_history_sits_on_one_imported_release_and_ends_at_the_head_tag()
    {
        var tree = await TestKernelTree.GetAsync();

        Assert.Equal("1", await tree.GitAsync("rev-list", "--count", "v6.1"));
        Assert.Equal(["v6.1"], ReleaseTags.Pick((await tree.GitAsync("tag", "--merged", tree.Bad)).Split('\n')));
        Assert.Equal(tree.Facts["bad_commit"], await tree.GitAsync("rev-parse", "culprit-test-head^{commit}"));
        Assert.InRange(int.Parse(tree.Facts["commits"]), 24, 40);
    }

    [KernelSourceFact]
    public async Task Only_the_culprit_adds_the_warning_the_reproducer_reaches()
    {
        var tree = await TestKernelTree.GetAsync();

        var introducing = await tree.GitAsync("log", "--format=%H", "-S", "\"culprit-bug\"", "v6.1..culprit-test-head", "--", "kernel/sys.c");

        Assert.Equal(tree.Culprit, introducing);
        Assert.Contains("WARN_ON(", await tree.GitAsync("show", tree.Culprit, "--", "kernel/sys.c"));
    }

    [KernelSourceFact]
    public async Task The_build_breaks_and_is_fixed_before_the_culprit()
    {
        var tree = await TestKernelTree.GetAsync();

        Assert.True(await IsAncestorAsync(tree, tree.BuildBroken, tree.BuildFixed));
        Assert.True(await IsAncestorAsync(tree, tree.BuildFixed, tree.Culprit));
        Assert.True(await IsAncestorAsync(tree, tree.DocsOnly, tree.BuildBroken));
    }

    [KernelSourceFact]
    public async Task Gits_first_pick_is_a_broken_build_and_the_commits_before_the_culprit_build()
    {
        var tree = await TestKernelTree.GetAsync();
        var broken = tree.Facts["build_broken_commits"].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // Broken: from the break up to its fix, and nothing else.
        var breakToFix = (await tree.GitAsync("rev-list", "--reverse", $"{tree.BuildBroken}^..{tree.BuildFixed}")).Split('\n');
        Assert.Equal(breakToFix[..^1], broken);
        // The first commit a bisection of the whole range tests does not build.
        Assert.Contains(await tree.GitAsync("rev-list", "--bisect", tree.Bad, $"^{tree.Good}"), broken);
        Assert.DoesNotContain(await tree.GitAsync("rev-parse", $"{tree.Culprit}^"), broken);
    }

    [KernelSourceFact]
    public async Task The_config_is_a_full_tinyconfig_with_the_test_options()
    {
        var tree = await TestKernelTree.GetAsync();
        var config = File.ReadAllLines(tree.Config);

        foreach (var wanted in File.ReadAllLines(RepositoryRoot.Combine("tests", "kernel", "culprit-test.config")).Where(l => l.StartsWith("CONFIG_", StringComparison.Ordinal)))
        {
            Assert.Contains(wanted, config);
        }
        Assert.Contains("# CONFIG_MODULES is not set", config);
    }

    [KernelSourceFact]
    public async Task Running_the_script_again_reuses_the_tree()
    {
        var tree = await TestKernelTree.GetAsync();
        var stamp = Path.Combine(TestKernelTree.Destination, ".complete");
        var before = File.GetLastWriteTimeUtc(stamp);

        var run = await ProcessRunner.RunCheckedAsync(new ProcessSpec(RepositoryRoot.Combine("scripts", "make-test-kernel-tree.sh"), [TestKernelTree.Destination]));

        Assert.Equal(Path.Combine(TestKernelTree.Destination, "culprit-test-tree.env"), run.StandardOutput.Trim());
        Assert.Equal(before, File.GetLastWriteTimeUtc(stamp));
        Assert.Equal(tree.Facts["bad_commit"], await tree.GitAsync("rev-parse", "HEAD"));
    }

    [Fact]
    public async Task The_reproducer_builds_like_a_syzkaller_reproducer_and_sets_a_culprit_bug_host_name()
    {
        var dir = Directory.CreateTempSubdirectory("culprit-repro-");
        try
        {
            var binary = Path.Combine(dir.FullName, "repro");
            await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("gcc", "-static", "-pthread", "-Wall", "-Werror", "-o", binary, Reproducer));

            // In a private UTS namespace the host name it sets is visible only to this shell.
            var run = await ProcessRunner.RunCheckedAsync(new ProcessSpec("unshare", ["-r", "-u", "/bin/sh", "-c", "\"$0\" && hostname", binary]));

            Assert.Equal("culprit-bug-repro", run.StandardOutput.Trim());
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static async Task<bool> IsAncestorAsync(TestKernelTree tree, string ancestor, string descendant)
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec("git", ["-C", tree.Repository, "merge-base", "--is-ancestor", ancestor, descendant]));
        return result.ExitCode == 0 && ancestor != descendant;
    }
}
