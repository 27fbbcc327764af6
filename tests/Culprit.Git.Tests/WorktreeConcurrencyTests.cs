namespace Culprit.Git.Tests;

/// <summary>
/// Jobs on one repository add and remove their worktrees at the same time (several builds of a node,
/// several nodes of a cluster on one machine). Each worktree is at JOB/worktree, so git names them all
/// after "worktree"; one job's <c>git worktree prune</c> must never remove another's half-made entry.
/// </summary>
public sealed class WorktreeConcurrencyTests
{
    [Fact]
    public async Task Jobs_adding_and_removing_worktrees_of_one_repository_at_once_all_succeed()
    {
        using var temp = new TempDir();
        var dir = temp.Sub("repo");
        await OneCommitRepository.CreateAsync(dir);

        for (var round = 0; round < 40; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async job =>
            {
                // Each job opens the repository itself, as a job on another node would.
                var repo = await GitRepository.OpenAsync(dir);
                var worktree = Path.Combine(temp.Path, $"job{round}-{job}", "worktree");
                await repo.AddWorktreeAsync(worktree, "main");
                Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(worktree, "a.c")));
                await repo.RemoveWorktreeAsync(worktree);
            }));
        }

        var list = await OneCommitRepository.Git(dir, "worktree", "list", "--porcelain");
        Assert.Single(list.StandardOutput.Split('\n'), l => l.StartsWith("worktree ", StringComparison.Ordinal));
    }
}
