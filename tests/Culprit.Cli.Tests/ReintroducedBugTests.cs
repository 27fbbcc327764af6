using System.Text.Json;
using Culprit.Processes;
using Culprit.Store;

namespace Culprit.Cli.Tests;

/// <summary>
/// A bug fixed and brought back inside the range, in a real repository: commit 4 adds the bug to
/// file a, commit 12 fixes it with a guard file, commit 15 adds the same bug to file b. The range's
/// middle crashes (the first coming), so the bisection finds commit 4; its revert on the bad commit
/// applies and keeps the crash (file b), and the commits after it, each tested with it reverted,
/// lead to commit 15: the commit the bad commit's crash comes from.
/// </summary>
public sealed class ReintroducedBugTests
{
    private const int Commits = 21;
    private const int FirstComing = 4;
    private const int Fix = 12;
    private const int BroughtBack = 15;

    private const string Test =
        "if { grep -q bug_a a 2>/dev/null && [ ! -e guard_a ]; } || grep -q bug_b b 2>/dev/null; then echo 'TITLE: BUG: the bug'; exit 1; fi";

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task The_commit_that_brought_the_crash_back_is_the_culprit(string strategy)
    {
        using var temp = new TempDir();
        var hashes = await CreateAsync(temp.Sub("repo"));
        var json = temp.Sub("r.json");

        var run = await CliHarness.InvokeAsync("bisect", "--strategy", strategy, "--repo", temp.Sub("repo"), "--bad", "main", "--good", hashes[0],
            "--build", "true", "--test", Test, "--runs", "2", "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains($"the crash stays with {hashes[FirstComing]} reverted: bisecting the ", run.Output);
        Assert.Contains($"the crash came back with {hashes[BroughtBack]}", run.Output);
        await FlakyResultAssert.VerifiedCulpritAsync(json, hashes[BroughtBack]);
    }

    [Fact]
    public async Task A_job_killed_during_the_search_resumes_to_the_same_culprit_with_its_outcomes_kept()
    {
        using var temp = new TempDir();
        var hashes = await CreateAsync(temp.Sub("repo"));
        var store = temp.Sub("s.db");
        var args = new[] { "bisect", "--repo", temp.Sub("repo"), "--bad", "main", "--good", hashes[0],
            "--build", "true", "--test", "sleep 0.3; " + Test, "--runs", "2", "--store", store };

        using var kill = new CancellationTokenSource();
        var job = ProcessRunner.RunAsync(CliHarness.Process(args) with { Timeout = TimeSpan.FromMinutes(5) }, kill.Token);
        var searching = false;
        for (var i = 0; i < 1200 && !searching && !job.IsCompleted; i++)
        {
            await Task.Delay(100);
            searching = Stored(store).Any(o => o.Contains("\"reintroduced\"", StringComparison.Ordinal));
        }
        Assert.True(searching && !job.IsCompleted, "the job should have been killed during the search");
        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job);
        await Task.Delay(1000);
        var before = Stored(store);

        string id;
        using (var jobs = JobStore.Open(store))
        {
            id = jobs.ListJobs().Single().Id;
        }
        var json = temp.Sub("r.json");
        var resumed = await CliHarness.InvokeAsync("resume", id, "--store", store, "--json", json);

        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(hashes[BroughtBack], doc.RootElement.GetProperty("culprit").GetProperty("commit").GetString());
        var after = Stored(store);
        Assert.Equal(before, after.Take(before.Count));
        Assert.True(after.Count > before.Count, "the resumed job went on testing");
    }

    private static List<string> Stored(string store)
    {
        if (!File.Exists(store))
        {
            return [];
        }
        try
        {
            using var jobs = JobStore.Open(store);
            return jobs.ListJobs() is [var job] ? jobs.Outcomes(job.Id).Select(o => o.Json).ToList() : [];
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // The job holds the database for a moment: ask again.
            return [];
        }
    }

    /// <summary>The history, oldest first (commit 0 is the good end, the last one the bad end, on main).</summary>
    private static Task<List<string>> CreateAsync(string path) => TestGit.LinearHistoryAsync(path, Commits, i => i switch
        {
            0 => ("a", "code"),
            FirstComing => ("a", "bug_a"),
            Fix => ("guard_a", "guard"),
            BroughtBack => ("b", "bug_b"),
            _ => ($"f{i}", "filler"),
        });
}
