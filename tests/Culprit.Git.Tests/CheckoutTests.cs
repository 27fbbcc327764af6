using Culprit.Processes;

namespace Culprit.Git.Tests;

/// <summary>Checking a commit out in a job's worktree leaves nothing of the previous commit's runs but ignored build outputs.</summary>
public sealed class CheckoutTests
{
    [Fact]
    public async Task Checkout_removes_untracked_files_and_directories_but_keeps_ignored_ones()
    {
        using var temp = new TempDir();
        var dir = temp.Path;
        await TwoCommitsAsync(dir, (".gitignore", "*.o\n"));
        Directory.CreateDirectory(Path.Combine(dir, "scratch"));
        await File.WriteAllTextAsync(Path.Combine(dir, "scratch", "state"), "left by a test\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "marker"), "left by a test\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "a.o"), "build output\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "a.c"), "local edit\n");

        await GitRepository.CheckoutAsync(dir, "main~1");

        Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(dir, "a.c")));
        Assert.False(File.Exists(Path.Combine(dir, "marker")));
        Assert.False(Directory.Exists(Path.Combine(dir, "scratch")));
        Assert.True(File.Exists(Path.Combine(dir, "a.o")));
    }

    [Fact]
    public async Task After_the_index_is_refreshed_a_forced_checkout_rewrites_only_the_files_that_differ()
    {
        using var temp = new TempDir();
        var dir = temp.Path;
        await TwoCommitsAsync(dir, ("b.c", "same\n"));
        // New times, same content (what a copied build directory's worker does to its checkout).
        var old = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(dir, "a.c"), old);
        File.SetLastWriteTimeUtc(Path.Combine(dir, "b.c"), old);

        await GitRepository.RefreshIndexAsync(dir);
        await GitRepository.CheckoutAsync(dir, "main~1");

        Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(dir, "a.c")));
        Assert.NotEqual(old, File.GetLastWriteTimeUtc(Path.Combine(dir, "a.c")));
        Assert.Equal(old, File.GetLastWriteTimeUtc(Path.Combine(dir, "b.c")));
    }

    /// <summary>A repository whose main~1 has a.c "one" and <paramref name="files"/>, and main changes a.c to "two".</summary>
    private static async Task TwoCommitsAsync(string dir, params (string Name, string Content)[] files)
    {
        await Git(dir, "init", "-q", "-b", "main");
        foreach (var (name, content) in files.Append(("a.c", "one\n")))
        {
            await File.WriteAllTextAsync(Path.Combine(dir, name), content);
        }
        await Git(dir, "add", "-A");
        await Git(dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
        await File.WriteAllTextAsync(Path.Combine(dir, "a.c"), "two\n");
        await Git(dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-am", "two");
    }

    private static Task<ProcessResult> Git(string dir, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", dir, .. args]));
}
