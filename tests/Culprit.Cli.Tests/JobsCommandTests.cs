using System.Text.Json;
using Culprit.Store;

namespace Culprit.Cli.Tests;

/// <summary><c>culprit jobs</c> on a store holding real jobs.</summary>
public sealed class JobsCommandTests
{
    private static Task<CliHarness.Run> BisectAsync(ScriptedRepository repo, string store) =>
        ReportCommandTests.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "1", "--no-verify", "--store", store);

    [Fact]
    public async Task Jobs_are_listed_oldest_first_with_repo_direction_state_and_result()
    {
        using var temp = new TempDir();
        var store = temp.Sub("s.db");
        var found = await ScriptedRepository.CreateAsync(temp.Sub("found"), 5, culprit: 3);
        var clean = await ScriptedRepository.CreateAsync(temp.Sub("clean"), 4, culprit: 99);
        Assert.Equal(0, (await BisectAsync(found, store)).ExitCode);
        Assert.Equal(3, (await BisectAsync(clean, store)).ExitCode);
        string[] ids;
        using (var jobs = JobStore.Open(store))
        {
            ids = [.. jobs.ListJobs().Select(j => j.Id)];
        }

        var run = await ReportCommandTests.InvokeAsync("jobs", "--store", store);

        Assert.Equal(0, run.ExitCode);
        var rows = run.Output.TrimEnd().Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["ID", "REPO", "DIRECTION", "STATE", "RESULT", "STARTED", "DURATION"], rows[0]);
        Assert.Equal([ids[0], found.Path, "cause", "finished", "found", found.Hashes[3][..12]], rows[1][..6]);
        Assert.Equal([ids[1], clean.Path, "cause", "finished", "not-reproduced"], rows[2][..5]);
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task The_columns_line_up()
    {
        using var temp = new TempDir();
        var store = temp.Sub("s.db");
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("a-repository-with-a-long-name"), 4, culprit: 2);
        Assert.Equal(0, (await BisectAsync(repo, store)).ExitCode);

        var run = await ReportCommandTests.InvokeAsync("jobs", "--store", store);

        var lines = run.Output.TrimEnd().Split('\n');
        foreach (var column in new[] { "REPO", "DIRECTION", "STATE", "RESULT", "STARTED", "DURATION" })
        {
            var at = lines[0].IndexOf(column, StringComparison.Ordinal);
            Assert.Equal(' ', lines[1][at - 1]);
            Assert.NotEqual(' ', lines[1][at]);
        }
    }

    [Fact]
    public async Task Json_lists_the_same_jobs()
    {
        using var temp = new TempDir();
        var store = temp.Sub("s.db");
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 4, culprit: 2);
        Assert.Equal(0, (await BisectAsync(repo, store)).ExitCode);

        var run = await ReportCommandTests.InvokeAsync("jobs", "--json", "--store", store);

        using var doc = JsonDocument.Parse(run.Output);
        var job = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(repo.Path, job.GetProperty("repo").GetString());
        Assert.Equal("found", job.GetProperty("result").GetString());
        Assert.Equal(repo.Hashes[2], job.GetProperty("culprit").GetString());
    }

    [Fact]
    public async Task Without_a_store_there_are_no_jobs_and_no_store_is_created()
    {
        using var temp = new TempDir();
        var store = temp.Sub("none.db");

        var run = await ReportCommandTests.InvokeAsync("jobs", "--store", store);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("no jobs in the store", run.Output.Trim());
        Assert.False(File.Exists(store));
    }
}
