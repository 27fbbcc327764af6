namespace Culprit.Git.Tests;

/// <summary>
/// A resumed job keeps its tester's worktree when it is sound (making it anew is a checkout of the
/// whole tree), and makes it anew when a killed git left it half done or it is not this repository's.
/// </summary>
public sealed class KeptWorktreeTests
{
    [Fact]
    public async Task A_sound_worktree_is_kept_and_a_half_done_or_missing_one_is_made()
    {
        using var temp = new TempDir();
        var dir = temp.Sub("repo");
        await OneCommitRepository.CreateAsync(dir);
        var repo = await GitRepository.OpenAsync(dir);
        var worktree = temp.Sub("worktree");

        await repo.KeepOrAddWorktreeAsync(worktree, "main");
        Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(worktree, "a.c")));
        var marker = Path.Combine(worktree, "left-by-the-last-session");
        await File.WriteAllTextAsync(marker, "x");

        await repo.KeepOrAddWorktreeAsync(worktree, "main");
        Assert.True(File.Exists(marker), "a sound worktree was made anew");

        // A git killed in the worktree leaves its index locked: the worktree is made anew.
        var gitDir = (await OneCommitRepository.Git(worktree, "rev-parse", "--path-format=absolute", "--git-dir")).StandardOutput.Trim();
        await File.WriteAllTextAsync(Path.Combine(gitDir, "index.lock"), "");
        await repo.KeepOrAddWorktreeAsync(worktree, "main");
        Assert.False(File.Exists(marker), "a worktree with a lock file was kept");
        Assert.False(File.Exists(Path.Combine(gitDir, "index.lock")));
        Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(worktree, "a.c")));

        // A directory that is no worktree of the repository is replaced.
        var stranger = temp.Sub("stranger");
        Directory.CreateDirectory(stranger);
        await File.WriteAllTextAsync(Path.Combine(stranger, ".git"), "gitdir: /nonexistent\n");
        await repo.KeepOrAddWorktreeAsync(stranger, "main");
        Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(stranger, "a.c")));
    }
}
