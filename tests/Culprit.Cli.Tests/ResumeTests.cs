using System.Text.Json;
using Culprit.Processes;
using Culprit.Store;

namespace Culprit.Cli.Tests;

/// <summary>A job killed at any moment resumes where it stopped and never tests a commit twice.</summary>
public sealed class ResumeTests
{
    [Theory]
    [InlineData("classic", 1)]
    [InlineData("classic", 3)]
    [InlineData("flaky", 1)]
    [InlineData("flaky", 3)]
    public async Task A_job_killed_with_sigkill_resumes_to_the_same_culprit_without_retesting_any_commit(string strategy, int workers)
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 40, culprit: 23, broken: [11]);
        var store = temp.Sub("s.db");
        // Each finished run leaves a line in runs.txt: what the resumed job ran is counted, not assumed.
        var runsFile = temp.Sub("runs.txt");
        var slowTest = $"sleep 0.2; ({ScriptedRepository.Test}); status=$?; echo run >> '{runsFile}'; exit $status";
        var args = new[] { "bisect", "--strategy", strategy, "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0], "--build", ScriptedRepository.Build,
            "--test", slowTest, "--runs", "2", "--store", store, "--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        using var kill = new CancellationTokenSource();
        var job = ProcessRunner.RunAsync(CliHarness.Process(args) with { Timeout = TimeSpan.FromMinutes(5) }, kill.Token);
        var stored = 0;
        for (var i = 0; i < 600 && stored < 3 && !job.IsCompleted; i++)
        {
            await Task.Delay(100);
            stored = CliHarness.CountOutcomes(store);
        }
        if (stored < 3)
        {
            var why = job.IsCompleted ? (await job).Output : "it is still running";
            Assert.Fail($"the job should have stored a few outcomes before the kill; {why}");
        }
        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job);
        // Runs the kill left behind may still finish their line.
        await Task.Delay(1000);
        var beforeResume = CliHarness.CountOutcomes(store);
        var storedBefore = StoredOutcomes(store);
        var runsBefore = File.Exists(runsFile) ? File.ReadAllLines(runsFile).Length : 0;

        string id;
        using (var jobs = JobStore.Open(store))
        {
            var record = Assert.Single(jobs.ListJobs());
            Assert.Equal("running", record.State);
            id = record.Id;
        }
        var json = temp.Sub("r.json");
        var resumed = await CliHarness.InvokeAsync("resume", id, "--store", store, "--json", json);

        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains($"first bad commit: {repo.Hashes[23]}", resumed.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(repo.Hashes[23], doc.RootElement.GetProperty("culprit").GetProperty("commit").GetString());
        // Verification retests the culprit's parent on purpose; every other test is of a new commit.
        var tested = doc.RootElement.GetProperty("tested").EnumerateArray()
            .Where(t => !t.GetProperty("phase").GetString()!.StartsWith("verify", StringComparison.Ordinal))
            .Select(t => t.GetProperty("commit").GetString()).ToList();
        if (strategy == "classic")
        {
            Assert.Equal(tested.Count, tested.Distinct().Count());
        }
        Assert.True(tested.Count > beforeResume, "resume went on testing after the stored outcomes");
        // Every outcome stored before the kill is kept as it was, and none is tested again: the
        // resumed job ran exactly the runs of the outcomes it stored.
        var storedAfter = StoredOutcomes(store);
        Assert.Equal(storedBefore, storedAfter.Take(beforeResume));
        var runsAfter = File.ReadAllLines(runsFile).Length - runsBefore;
        Assert.Equal(storedAfter.Skip(beforeResume).Sum(RunsOf), runsAfter);

        // The resumed job took the steps an uninterrupted one takes (a round's tests in the order they finished).
        var uninterruptedJson = temp.Sub("u.json");
        var uninterrupted = await CliHarness.InvokeAsync([.. args.Select(a => a == store ? temp.Sub("u.db") : a), "--json", uninterruptedJson]);
        Assert.Equal(0, uninterrupted.ExitCode);
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(uninterruptedJson));
        if (workers == 1)
        {
            Assert.Equal(Steps(expected.RootElement), Steps(doc.RootElement));
        }
        else
        {
            Assert.Equal(Steps(expected.RootElement).Select(s => s[..s.LastIndexOf(' ')]).Order(), Steps(doc.RootElement).Select(s => s[..s.LastIndexOf(' ')]).Order());
        }

        // The stored log reads as one uninterrupted job: each test appears once (classic tests each commit once).
        var show = await CliHarness.InvokeAsync("show", id, "--store", store);
        var testing = show.Output.Split('\n').TakeWhile(l => !l.StartsWith("verifying the culprit", StringComparison.Ordinal))
            .Where(l => l.StartsWith("testing commit ", StringComparison.Ordinal)).ToList();
        if (strategy == "classic")
        {
            Assert.Equal(testing.Count, testing.Distinct().Count());
        }
        Assert.Equal(tested.Count, testing.Count);
    }

    /// <summary>The stored outcomes, as stored.</summary>
    private static List<string> StoredOutcomes(string store)
    {
        using var jobs = JobStore.Open(store);
        return jobs.Outcomes(jobs.ListJobs().Single().Id).Select(o => o.Json).ToList();
    }

    /// <summary>The runs a stored outcome's test made (none when it reused another commit's outcome).</summary>
    private static int RunsOf(string storedJson)
    {
        using var doc = JsonDocument.Parse(storedJson);
        var outcome = doc.RootElement.GetProperty("outcome");
        var reused = outcome.TryGetProperty("reused_from", out var from) && from.ValueKind == JsonValueKind.String;
        return reused ? 0 : outcome.GetProperty("runs").GetArrayLength();
    }

    private static List<string> Steps(JsonElement result) =>
        result.GetProperty("tested").EnumerateArray()
            .Select(t => $"{t.GetProperty("phase").GetString()} {t.GetProperty("commit").GetString()} {t.GetProperty("verdict").GetString()}")
            .ToList();

    [Fact]
    public async Task Resuming_a_finished_job_tests_nothing_and_gives_the_same_result()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 10, culprit: 4);
        var store = temp.Sub("s.db");
        var first = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "1", "--store", store);
        Assert.Equal(0, first.ExitCode);
        string id;
        int outcomes;
        using (var jobs = JobStore.Open(store))
        {
            id = jobs.ListJobs().Single().Id;
            outcomes = jobs.Outcomes(id).Count;
        }

        var again = await CliHarness.InvokeAsync("resume", id, "--store", store);

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(first.Output, again.Output);
        Assert.Equal(outcomes, CliHarness.CountOutcomes(store));
    }

    [Fact]
    public async Task Show_prints_the_stored_log_and_the_json_result()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 6, culprit: 2);
        var store = temp.Sub("s.db");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "1", "--store", store);
        string id;
        using (var jobs = JobStore.Open(store))
        {
            id = jobs.ListJobs().Single().Id;
        }

        var log = await CliHarness.InvokeAsync("show", id, "--store", store);
        var json = await CliHarness.InvokeAsync("show", id, "--json", "--store", store);

        Assert.Equal(run.Output, log.Output);
        using var doc = JsonDocument.Parse(json.Output);
        Assert.Equal(id, doc.RootElement.GetProperty("job").GetString());
        Assert.Equal(repo.Hashes[2], doc.RootElement.GetProperty("culprit").GetProperty("commit").GetString());
    }
}
