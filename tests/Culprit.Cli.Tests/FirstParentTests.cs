using System.Text.Json;

namespace Culprit.Cli.Tests;

/// <summary>
/// <c>--first-parent</c> from the command line, on a real repository: a branch that broke its own
/// build for a while and brought the crash in is merged into the mainline. Along first parents the
/// merge is the culprit (as <c>git bisect start --first-parent</c> names it), no commit of the branch is
/// tested, and the merge's revert (<c>-m 1</c>) verifies it; the whole history names the branch's commit.
/// </summary>
public sealed class FirstParentTests
{
    [Fact]
    public async Task Along_first_parents_the_merge_that_brought_the_crash_in_is_the_culprit_and_no_branch_commit_is_tested()
    {
        using var temp = new TempDir();
        var repo = await BranchRepository.CreateAsync(temp.Sub("repo"));
        var json = temp.Sub("result.json");

        var run = await repo.BisectAsync(temp.Sub("s.db"), "--bad", "main", "--good", repo.Base, "--runs", "2", "--first-parent", "--json", json);

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains($"# git bisect start --first-parent {repo.Tip} {repo.Base}", run.Output);
        Assert.Contains($"first bad commit: {repo.Merge} Merge branch 'side'", run.Output);
        Assert.Contains("culprit verified: its parent does not crash; reverting it on top of the bad commit removes the crash", run.Output);
        Assert.All(repo.Branch, c => Assert.DoesNotContain($"testing commit {c}", run.Output));
        // The next step it suggests, taken: the branch's own commit.
        var hint = $"the culprit is a merge found along first parents: to find the commit it merged in, bisect --bad {repo.Branch[^1]} --good {repo.MainBeforeMerge} (their merge base is tested first)";
        Assert.Contains(hint, run.Output);
        var inside = await repo.BisectAsync(temp.Sub("s.db"), "--bad", repo.Branch[^1], "--good", repo.MainBeforeMerge, "--runs", "2");
        Assert.True(inside.ExitCode == 0, inside.Error + inside.Output);
        Assert.Contains("a merge base must be tested", inside.Output);
        Assert.Contains($"first bad commit: {repo.Bug} side: the bug", inside.Output);
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(repo.Merge, result.RootElement.GetProperty("culprit").GetProperty("commit").GetString());

        // The same as git's own bisection along first parents.
        var git = await repo.GitBisectAsync("--first-parent", repo.Tip, repo.Base);
        Assert.Contains($"{repo.Merge} is the first bad commit", git.Output);
    }

    [Fact]
    public async Task Without_first_parent_the_branch_commit_is_the_culprit()
    {
        using var temp = new TempDir();
        var repo = await BranchRepository.CreateAsync(temp.Sub("repo"));

        var run = await repo.BisectAsync(temp.Sub("s.db"), "--bad", "main", "--good", repo.Base, "--runs", "2", "--no-verify");

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains($"first bad commit: {repo.Bug} side: the bug", run.Output);
    }
}
