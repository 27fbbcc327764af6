using Culprit.Processes;

namespace Culprit.Git.Tests;

/// <summary>A repository of one commit (<c>a.c</c> holding "one") on branch main, for the worktree tests.</summary>
internal static class OneCommitRepository
{
    public static async Task CreateAsync(string dir)
    {
        Directory.CreateDirectory(dir);
        await Git(dir, "init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(dir, "a.c"), "one\n");
        await Git(dir, "add", "-A");
        await Git(dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
    }

    public static Task<ProcessResult> Git(string dir, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", dir, .. args]));
}
