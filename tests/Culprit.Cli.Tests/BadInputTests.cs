namespace Culprit.Cli.Tests;

/// <summary>Bad input gets one line naming the problem and a non-zero exit, and nothing is written over.</summary>
public sealed class BadInputTests
{
    private static Task<CliHarness.Run> BisectAsync(string repo, string bad, string? good, string store)
    {
        var args = new List<string> { "bisect", "--repo", repo, "--bad", bad, "--build", "true", "--test", "true", "--store", store };
        if (good is not null)
        {
            args.AddRange(["--good", good]);
        }
        return CliHarness.InvokeAsync([.. args]);
    }

    [Fact]
    public async Task An_unknown_revision_is_named_in_a_one_line_error()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 3, culprit: 2);
        var run = await BisectAsync(repo.Path, "no-such-branch", repo.Hashes[0], temp.Sub("s.db"));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal("culprit: unknown revision: no-such-branch", run.Error.Trim());
    }

    [Fact]
    public async Task A_test_command_that_cannot_run_is_named_after_the_good_commit_fails_the_same_way()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 6, culprit: 3);
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0], "--build", "true",
            "--test", "./no-such-test.sh", "--runs", "2", "--store", temp.Sub("s.db"));
        Assert.Equal(1, run.ExitCode);
        // The shell's own words close the line (dash: "/bin/sh: 1: ./no-such-test.sh: not found").
        Assert.StartsWith($"culprit: the test command cannot run: it exits 127 (command not found) on the bad commit and on the good commit {repo.Hashes[0]} too (",
            run.Error.Trim());
        Assert.Contains("./no-such-test.sh", run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
        // Two commits tested, none bisected.
        Assert.DoesNotContain("Bisecting:", run.Output);
    }

    [Theory]
    [InlineData("/etc", "is outside repository")]
    [InlineData(":(nosuchmagic)x", "Invalid pathspec magic 'nosuchmagic'")]
    public async Task A_pathspec_git_refuses_is_named_before_anything_is_built(string path, string expected)
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 4, culprit: 2);
        var marker = temp.Sub("built");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0], "--build", $"touch '{marker}'",
            "--test", "true", "--paths", path, "--store", temp.Sub("s.db"));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("culprit: --paths: ", run.Error);
        Assert.Contains(expected, run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task A_range_none_of_whose_commits_touches_the_paths_is_refused_before_anything_is_built()
    {
        // git bisect start main GOOD -- no-such-file: "No testable commit found".
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 4, culprit: 2);
        var marker = temp.Sub("built");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0], "--build", $"touch '{marker}'",
            "--test", "true", "--paths", "no-such-file", "--store", temp.Sub("s.db"));
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"culprit: --paths: no commit between {repo.Hashes[0]} and main touches no-such-file: nothing to bisect (git bisect: No testable commit found)",
            run.Error.Trim());
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task A_good_commit_that_is_not_an_ancestor_of_bad_is_rejected()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 4, culprit: 2);
        var run = await BisectAsync(repo.Path, repo.Hashes[1], repo.Hashes[3], temp.Sub("s.db"));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal($"culprit: good commit {repo.Hashes[3]} is not an ancestor of bad commit {repo.Hashes[1]}; it is a descendant of the bad commit: "
            + "the crash went away between them (--fix finds the commit that fixed it)", run.Error.Trim());
    }

    [Fact]
    public async Task A_good_commit_on_another_branch_is_bisected_from_their_merge_base_as_git_does()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 8, culprit: 5);
        // A stable-like branch off commit 2, whose tip is not an ancestor of main.
        await Culprit.Processes.ProcessRunner.RunCheckedAsync(new Culprit.Processes.ProcessSpec("git", ["-C", repo.Path, "worktree", "add", "-q", "-b", "stable", temp.Sub("stable"), repo.Hashes[2]]));
        await File.WriteAllTextAsync(Path.Combine(temp.Sub("stable"), "notes.txt"), "backport\n");
        await Culprit.Processes.ProcessRunner.RunCheckedAsync(new Culprit.Processes.ProcessSpec("git", ["-C", temp.Sub("stable"), "add", "notes.txt"]));
        var stable = await TestGit.CommitAsync(temp.Sub("stable"), "a backport", TestGit.Identity(9, "Dev One", "dev1@example.com", "Dev Two", "dev2@example.com"));

        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", "stable",
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "2", "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains($"good commit {stable} is not an ancestor of {repo.Hashes[^1]}: a merge base must be tested", run.Output);
        Assert.Contains($"testing commit {repo.Hashes[2]}", run.Output);
        Assert.Contains($"first bad commit: {repo.Hashes[5]}", run.Output);
    }

    [Fact]
    public async Task An_empty_range_is_rejected()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 3, culprit: 2);
        var run = await BisectAsync(repo.Path, "main", repo.Hashes[2], temp.Sub("s.db"));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("empty range", run.Error);
    }

    [Fact]
    public async Task A_missing_repository_is_named()
    {
        using var temp = new TempDir();
        var run = await BisectAsync(temp.Sub("nowhere"), "HEAD", null, temp.Sub("s.db"));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal($"culprit: repository not found: {temp.Sub("nowhere")}", run.Error.Trim());
    }

    [Fact]
    public async Task A_directory_that_is_not_a_repository_is_named()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.Sub("plain"));
        var run = await BisectAsync(temp.Sub("plain"), "HEAD", null, temp.Sub("s.db"));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("not a git repository", run.Error);
    }

    [Fact]
    public async Task A_corrupt_store_is_reported_and_left_as_it_was()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 3, culprit: 2);
        var store = temp.Sub("s.db");
        var garbage = new byte[4096];
        new Random(1).NextBytes(garbage);
        await File.WriteAllBytesAsync(store, garbage);
        var run = await BisectAsync(repo.Path, "main", repo.Hashes[0], store);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("corrupt or not a database", run.Error);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(store));
    }

    [Fact]
    public async Task Resuming_an_unknown_job_names_it()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 3, culprit: 1);
        var store = temp.Sub("s.db");
        Assert.Equal(3, (await BisectAsync(repo.Path, "main", repo.Hashes[0], store)).ExitCode);
        var run = await CliHarness.InvokeAsync("resume", "deadbeef", "--store", store);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("no job deadbeef", run.Error);
    }

    [Fact]
    public async Task Missing_build_or_test_command_is_an_error()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 3, culprit: 1);
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--build", "true", "--store", temp.Sub("s.db"));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--test is required", run.Error);
    }
}
