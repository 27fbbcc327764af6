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
        await Git(dir, "init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(dir, ".gitignore"), "*.o\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "a.c"), "one\n");
        await Git(dir, "add", "-A");
        await Git(dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
        await File.WriteAllTextAsync(Path.Combine(dir, "a.c"), "two\n");
        await Git(dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-am", "two");
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

    private static Task<ProcessResult> Git(string dir, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", dir, .. args]));
}
