namespace Culprit.Cli.Tests;

/// <summary>
/// <c>--good</c> given more than once, as <c>git bisect start BAD GOOD1 GOOD2</c>: the range leaves out
/// what any good commit reaches, and a good commit on another branch has the merge base tested first.
/// The bisection is git's, step for step.
/// </summary>
public sealed class SeveralGoodCommitsTests
{
    [Fact]
    public async Task Each_good_commit_takes_its_history_out_of_the_range_as_in_git_bisect()
    {
        // The second good commit is the merged branch's "fix build": the branch's broken commit is outside the range.
        using var temp = new TempDir();
        var repo = await BranchRepository.CreateAsync(temp.Sub("repo"));
        var fixBuild = repo.Branch[1];

        var run = await BisectFromBaseAndAsync(repo, temp, fixBuild);

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains($"# git bisect start {repo.Tip} {repo.Base} {fixBuild}", run.Output);
        Assert.Contains($"first bad commit: {repo.Bug} side: the bug", run.Output);
        Assert.DoesNotContain($"testing commit {repo.Branch[0]}", run.Output);

        var (_, log) = await repo.GitBisectAsync(repo.Tip, repo.Base, fixBuild);
        Assert.Equal(Verdicts(log, ""), Verdicts(run.Output, "# ").Select(l => l[2..]));
    }

    [Fact]
    public async Task A_good_commit_on_another_branch_has_the_merge_base_tested_first_as_in_git_bisect()
    {
        using var temp = new TempDir();
        var repo = await BranchRepository.CreateAsync(temp.Sub("repo"));
        // A stable-like branch off main 5 with a backport: not an ancestor of the tip. The merge base of the
        // tip and the two good commits is main 5, which git tests before it bisects.
        var stable = await repo.BranchOffAsync("stable", repo.MainBeforeMerge, "stable: backport", ("backport.txt", "x\n"));

        var run = await BisectFromBaseAndAsync(repo, temp, stable);

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains($"a merge base of {repo.Tip} and the good commits must be tested: {repo.MainBeforeMerge}", run.Output);
        Assert.Contains($"testing commit {repo.MainBeforeMerge}", run.Output);
        Assert.Contains($"first bad commit: {repo.Bug} side: the bug", run.Output);
        var (_, log) = await repo.GitBisectAsync(repo.Tip, repo.Base, stable);
        Assert.Contains($"git bisect good {repo.MainBeforeMerge}", log);
        Assert.Equal(Verdicts(log, ""), Verdicts(run.Output, "# ").Select(l => l[2..]));
    }

    [Fact]
    public async Task A_merge_base_that_crashes_ends_the_job_as_in_git_bisect()
    {
        using var temp = new TempDir();
        var repo = await BranchRepository.CreateAsync(temp.Sub("repo"));
        // Off the merge, which has the bug, a branch that fixes it: the merge base is bad, the bug was fixed on the branch.
        var fixedThere = await repo.BranchOffAsync("stable", repo.Merge, "stable: fix the bug", ("state", "ok\n"));

        var run = await BisectFromBaseAndAsync(repo, temp, fixedThere);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"the merge base {repo.Merge} is bad: the crash was fixed between it and the good commits {repo.Base}, {fixedThere}", run.Output);
        Assert.DoesNotContain("first bad commit", run.Output);
    }

    /// <summary>git's own path (classic, one run a commit) from main back to the base and <paramref name="secondGood"/>.</summary>
    private static Task<CliHarness.Run> BisectFromBaseAndAsync(BranchRepository repo, TempDir temp, string secondGood) =>
        repo.BisectAsync(temp.Sub("s.db"), "--bad", "main", "--good", repo.Base, "--good", secondGood, "--runs", "1", "--strategy", "classic");

    private static IEnumerable<string> Verdicts(string log, string prefix) =>
        log.Split('\n').Where(l => l.StartsWith(prefix + "git bisect bad ", StringComparison.Ordinal) || l.StartsWith(prefix + "git bisect good ", StringComparison.Ordinal));

    [Theory]
    [InlineData("fix", 2, "--fix takes one --good: the newer commit where the crash is gone")]
    [InlineData("after the bad commit", 1, "is not an ancestor of bad commit main; it is a descendant of the bad commit: the crash went away between them (--fix finds the commit that fixed it)")]
    [InlineData("the bad commit", 1, "empty range:")]
    public async Task A_second_good_commit_that_cannot_be_one_is_refused_before_any_build(string what, int exit, string message)
    {
        using var temp = new TempDir();
        var repo = await BranchRepository.CreateAsync(temp.Sub("repo"));
        // A commit on a branch of its own, made from the tip: a descendant of it.
        var later = await repo.BranchOffAsync("later", "main", "later", ("later.txt", "x\n"));
        string[] args = what switch
        {
            "fix" => ["--fix", "--bad", repo.Base, "--good", "main", "--good", repo.Merge],
            "after the bad commit" => ["--bad", "main", "--good", repo.Base, "--good", later],
            _ => ["--bad", "main", "--good", repo.Base, "--good", repo.Tip],
        };

        var run = await CliHarness.InvokeAsync(["bisect", "--repo", repo.Path, .. args, "--build", "touch built-$(git rev-parse HEAD)", "--test", BranchRepository.Test,
            "--store", temp.Sub("s.db")]);

        Assert.Equal(exit, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.DoesNotContain("testing commit", run.Output);
    }
}
