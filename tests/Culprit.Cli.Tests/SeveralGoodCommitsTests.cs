namespace Culprit.Cli.Tests;

/// <summary>
/// <c>--good</c> given more than once, as <c>git bisect start BAD GOOD1 GOOD2</c>: the range leaves out
/// what any good commit reaches. Here the second good commit is the merged branch's "fix build": the
/// branch's broken commit is outside the range, and the bisection is git's, step for step.
/// </summary>
public sealed class SeveralGoodCommitsTests
{
    [Fact]
    public async Task Each_good_commit_takes_its_history_out_of_the_range_as_in_git_bisect()
    {
        using var temp = new TempDir();
        var repo = await BranchRepository.CreateAsync(temp.Sub("repo"));
        var fixBuild = repo.Branch[1];

        var run = await repo.BisectAsync(temp.Sub("s.db"), "--bad", "main", "--good", repo.Base, "--good", fixBuild, "--runs", "1", "--strategy", "classic");

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains($"# git bisect start {repo.Tip} {repo.Base} {fixBuild}", run.Output);
        Assert.Contains($"first bad commit: {repo.Bug} side: the bug", run.Output);
        Assert.DoesNotContain($"testing commit {repo.Branch[0]}", run.Output);

        var (_, log) = await repo.GitBisectAsync(repo.Tip, repo.Base, fixBuild);
        var gitVerdicts = log.Split('\n').Where(l => l.StartsWith("git bisect bad ", StringComparison.Ordinal) || l.StartsWith("git bisect good ", StringComparison.Ordinal));
        var ours = run.Output.Split('\n').Where(l => l.StartsWith("# git bisect bad ", StringComparison.Ordinal) || l.StartsWith("# git bisect good ", StringComparison.Ordinal));
        Assert.Equal(gitVerdicts, ours.Select(l => l[2..]));
    }

    [Theory]
    [InlineData("fix", 2, "--fix takes one --good: the newer commit where the crash is gone")]
    [InlineData("not an ancestor", 1, "is not an ancestor of bad commit main: of several --good, only the first may be on another branch")]
    [InlineData("the bad commit", 1, "empty range:")]
    public async Task A_second_good_commit_that_cannot_be_one_is_refused_before_any_build(string what, int exit, string message)
    {
        using var temp = new TempDir();
        var repo = await BranchRepository.CreateAsync(temp.Sub("repo"));
        // A commit on a branch of its own, made from the tip: not an ancestor of it.
        await TestGit.RunAsync(repo.Path, "checkout", "-q", "-b", "later", "main");
        await TestGit.RunAsync(repo.Path, TestGit.Identity(100), "commit", "-q", "--allow-empty", "-m", "later");
        var later = await TestGit.HeadAsync(repo.Path);
        await TestGit.RunAsync(repo.Path, "checkout", "-q", "main");
        string[] args = what switch
        {
            "fix" => ["--fix", "--bad", repo.Base, "--good", "main", "--good", repo.Merge],
            "not an ancestor" => ["--bad", "main", "--good", repo.Base, "--good", later],
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
