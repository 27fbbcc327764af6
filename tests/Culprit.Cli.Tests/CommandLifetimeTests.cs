using System.Diagnostics;
using System.Text.Json;

namespace Culprit.Cli.Tests;

/// <summary>
/// Build and test commands in a whole job: a run ends when its process does, nothing they start
/// outlives the job, a hanging build is killed and counted as broken, and files they leave in the
/// worktree are gone before the next commit.
/// </summary>
public sealed class CommandLifetimeTests
{
    [Fact]
    public async Task A_test_that_leaves_a_background_child_behind_ends_when_it_exits()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 10, culprit: 6);
        var watch = Stopwatch.StartNew();
        var run = await CliHarness.InvokeAsync("bisect", "--strategy", "classic", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", "(sleep 30 &); " + ScriptedRepository.Test, "--runs", "1", "--run-timeout", "5",
            "--no-verify", "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"first bad commit: {repo.Hashes[6]}", run.Output);
        Assert.DoesNotContain("timed out", run.Output);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the job took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_bisect_job_leaves_no_process_behind()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 8, culprit: 5);
        var (fromBuild, fromSetsid, fromNohup) = (ProcessList.UniqueSleep(), ProcessList.UniqueSleep(), ProcessList.UniqueSleep());
        var build = $"(setsid sleep {fromBuild} >/dev/null 2>&1 &); " + ScriptedRepository.Build;
        var test = $"setsid sleep {fromSetsid} >/dev/null 2>&1 & nohup sleep {fromNohup} >/dev/null 2>&1 & " + ScriptedRepository.Test;

        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", build, "--test", test, "--runs", "2", "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"first bad commit: {repo.Hashes[5]}", run.Output);
        Assert.Empty(ProcessList.Running("sleep", fromBuild));
        Assert.Empty(ProcessList.Running("sleep", fromSetsid));
        Assert.Empty(ProcessList.Running("sleep", fromNohup));
    }

    [Fact]
    public async Task A_build_that_hangs_is_killed_after_the_build_timeout_and_counted_as_broken()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 10, culprit: 7, broken: [4, 5]);
        var json = temp.Sub("r.json");
        var hang = ProcessList.UniqueSleep();
        var watch = Stopwatch.StartNew();
        var run = await CliHarness.InvokeAsync("bisect", "--strategy", "classic", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", $"test \"$(cat broken)\" != 1 || sleep {hang}", "--test", ScriptedRepository.Test, "--runs", "1",
            "--build-timeout", "1", "--no-verify", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("build failed:\n    build timed out after 1s", run.Output);
        Assert.Contains($"first bad commit: {repo.Hashes[7]}", run.Output);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"the job took {watch.Elapsed}");
        Assert.Empty(ProcessList.Running("sleep", hang));
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var skipped = doc.RootElement.GetProperty("tested").EnumerateArray()
            .Where(t => t.GetProperty("verdict").GetString() == "skip").Select(t => t.GetProperty("commit").GetString()).ToList();
        Assert.NotEmpty(skipped);
        Assert.All(skipped, c => Assert.Contains(c, new[] { repo.Hashes[4], repo.Hashes[5] }));
    }

    [Fact]
    public async Task Without_build_timeout_a_build_may_take_an_hour()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 3, culprit: 1);
        var store = temp.Sub("s.db");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "1", "--no-verify", "--store", store);

        Assert.Equal(0, run.ExitCode);
        using var jobs = Culprit.Store.JobStore.Open(store);
        Assert.Contains("\"build_timeout_seconds\":3600", Assert.Single(jobs.ListJobs()).SpecJson);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("604801")]
    // Neither may reach a TimeSpan before the check (they threw there).
    [InlineData("NaN")]
    [InlineData("1e309")]
    public async Task A_build_timeout_out_of_range_is_refused_before_anything_starts(string seconds)
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 3, culprit: 1);
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--build-timeout", seconds, "--store", temp.Sub("s.db"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--build-timeout must be between 0 and 604800 seconds", run.Error);
        Assert.DoesNotContain("testing commit", run.Output);
    }

    [Fact]
    public async Task A_file_a_test_leaves_in_the_worktree_is_gone_before_the_next_commit()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 12, culprit: 8);
        // A test that fails whenever an earlier test's leftover is still there.
        var test = "if [ -e leftover ]; then echo 'TITLE: KASAN: use-after-free in demo_fn'; exit 1; fi; touch leftover; " + ScriptedRepository.Test;

        var run = await CliHarness.InvokeAsync("bisect", "--strategy", "classic", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", "mkdir -p out && touch out/object; " + ScriptedRepository.Build, "--test", test, "--runs", "1", "--no-verify", "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"first bad commit: {repo.Hashes[8]}", run.Output);
    }
}
