using System.Text.Json;

namespace Culprit.Cli.Tests;

/// <summary><c>culprit bisect</c> on real git repositories with real build and test commands.</summary>
public sealed class BisectCommandTests
{
    [Fact]
    public async Task Bisect_names_the_first_bad_commit_and_writes_the_json_result()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 12, culprit: 7);
        var json = temp.Sub("result.json");
        var run = await CliHarness.InvokeAsync("bisect", "--strategy", "classic", "--repo", repo.Path, "--bad", repo.Hashes[^1], "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "2", "--no-verify", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"first bad commit: {repo.Hashes[7]} change number 7", run.Output);
        Assert.Contains($"bisecting cause commit starting from {repo.Hashes[^1]}", run.Output);
        Assert.Contains("all runs: crashed: KASAN: use-after-free in demo_fn", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal("found", root.GetProperty("result").GetString());
        Assert.Equal(repo.Hashes[7], root.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.Equal("change number 7", root.GetProperty("culprit").GetProperty("subject").GetString());
        Assert.Equal("Dev One <dev1@example.com>", root.GetProperty("culprit").GetProperty("author").GetString());
        Assert.Equal("KASAN: use-after-free in demo_fn", root.GetProperty("crash_title").GetString());
        var stats = root.GetProperty("stats");
        var bisected = root.GetProperty("tested").EnumerateArray()
            .Where(t => !t.GetProperty("phase").GetString()!.StartsWith("verify", StringComparison.Ordinal))
            .Select(t => t.GetProperty("commit").GetString()).Distinct().Count();
        Assert.Equal(bisected, stats.GetProperty("revisions_tested").GetInt32());
        Assert.Equal(2 * stats.GetProperty("builds").GetInt32(), stats.GetProperty("runs").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("job").GetString()));
    }

    [Fact]
    public async Task A_bare_repository_is_bisected_like_its_checkout_and_left_without_worktrees()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 12, culprit: 7);
        var bare = temp.Sub("mirror.git");
        await Culprit.Processes.ProcessRunner.RunCheckedAsync(new Culprit.Processes.ProcessSpec("git", ["clone", "-q", "--bare", repo.Path, bare]));

        var run = await CliHarness.InvokeAsync("bisect", "--repo", bare, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "2", "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains($"first bad commit: {repo.Hashes[7]} change number 7", run.Output);
        var worktrees = await Culprit.Processes.ProcessRunner.RunCheckedAsync(new Culprit.Processes.ProcessSpec("git", ["-C", bare, "worktree", "list", "--porcelain"]));
        Assert.Single(worktrees.StandardOutput.Split('\n'), l => l.StartsWith("worktree ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_strategy_a_cause_bisection_is_flaky_and_states_its_confidence()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 12, culprit: 7);
        var json = temp.Sub("result.json");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "2", "--no-verify", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"first bad commit: {repo.Hashes[7]} change number 7", run.Output);
        await FlakyResultAssert.FoundWithConfidenceAsync(run, json);
    }

    [Fact]
    public async Task Bisect_prints_the_git_bisect_lines_of_the_seed_log()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 9, culprit: 3);
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "1", "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n');
        Assert.Contains($"# git bisect start {repo.Hashes[^1]} {repo.Hashes[0]}", lines);
        Assert.Contains(lines, l => l.StartsWith("Bisecting: ", StringComparison.Ordinal) && l.Contains("revisions left to test after this (roughly"));
        Assert.Contains(lines, l => l.StartsWith($"# git bisect bad ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"# git bisect good ", StringComparison.Ordinal));
        Assert.Contains($"{repo.Hashes[3]} is the first bad commit", lines);
        Assert.Contains(lines, l => l.StartsWith("revisions tested: ", StringComparison.Ordinal) && l.Contains("total time: ") && l.Contains("(build: "));
    }

    [Fact]
    public async Task Skipped_commits_next_to_the_culprit_make_the_result_inconclusive_with_the_candidates()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 10, culprit: 6, broken: [5]);
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--strategy", "classic", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "1", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("There are only 'skip'ped commits left to test.", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("inconclusive", doc.RootElement.GetProperty("result").GetString());
        var candidates = doc.RootElement.GetProperty("candidates").EnumerateArray().Select(e => e.GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { repo.Hashes[5], repo.Hashes[6] }, candidates);
        Assert.Contains("build failed:", run.Output);
        Assert.Contains("error: this commit does not build", run.Output);
    }

    [Fact]
    public async Task Without_good_the_job_walks_back_over_release_tags_until_one_is_good()
    {
        using var temp = new TempDir();
        var tags = new Dictionary<int, string> { [2] = "v1.0", [5] = "v1.1", [8] = "v1.2", [9] = "v1.3-rc1" };
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 12, culprit: 7, tags: tags);
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main",
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "1", "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        var releases = run.Output.Split('\n').Where(l => l.StartsWith("testing release", StringComparison.Ordinal)).ToList();
        Assert.Equal(["testing release v1.2", "testing release v1.1"], releases);
        Assert.Contains($"first bad commit: {repo.Hashes[7]}", run.Output);
    }

    [Fact]
    public async Task When_every_release_crashes_the_result_is_no_good_commit()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 6, culprit: 0, tags: new Dictionary<int, string> { [2] = "v1.0" });
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main",
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "1", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(4, run.ExitCode);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("no-good-commit", doc.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task A_bad_commit_that_does_not_crash_gives_not_reproduced()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 5, culprit: 99);
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "2", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("the crash does not reproduce on", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("not-reproduced", doc.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Run_outcomes_distinguish_infra_errors_timeouts_and_crashes()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 4, culprit: 2);
        var json = temp.Sub("r.json");
        // Run 0: infra error, run 1: hangs past the timeout, run 2: crash without a title, others as the commit says.
        const string test = "case $CULPRIT_RUN in 0) echo 'vm lost'; exit 125;; 1) sleep 30;; 2) [ \"$(cat bug)\" = 1 ] && exit 3;; esac; " + ScriptedRepository.Test;
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", test, "--runs", "4", "--run-timeout", "1", "--json", json, "--store", temp.Sub("s.db"));

        // The hang and the untitled crash are each one run of a commit's first test (runs are numbered
        // across a commit's tests): other crashes than the bug's, so the culprit is found and verified.
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("run #0: infra error: vm lost", run.Output);
        Assert.Contains("run #1: timed out: no result after 1s", run.Output);
        Assert.Contains("run #2: crashed: exit status 3", run.Output);
        Assert.Contains("run #3: crashed: KASAN: use-after-free in demo_fn", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var runs = doc.RootElement.GetProperty("tested")[0].GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("result").GetString()).ToList();
        Assert.Equal(["infra-error", "timed-out", "crashed", "crashed"], runs);
    }

    [Fact]
    public async Task The_users_checkout_and_index_are_left_alone()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 6, culprit: 3);
        await File.WriteAllTextAsync(Path.Combine(repo.Path, "n"), "local edit\n");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "1", "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("local edit\n", await File.ReadAllTextAsync(Path.Combine(repo.Path, "n")));
        var head = await Processes.ProcessRunner.RunCheckedAsync(Processes.ProcessSpec.Of("git", "-C", repo.Path, "rev-parse", "HEAD"));
        Assert.Equal(repo.Hashes[^1], head.StandardOutput.Trim());
        var worktrees = await Processes.ProcessRunner.RunCheckedAsync(Processes.ProcessSpec.Of("git", "-C", repo.Path, "worktree", "list"));
        Assert.Single(worktrees.StandardOutput.Trim().Split('\n'));
    }
}
