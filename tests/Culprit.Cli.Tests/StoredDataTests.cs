using System.Text.Json;
using Culprit.Jobs;
using Culprit.Store;
using Microsoft.Data.Sqlite;

namespace Culprit.Cli.Tests;

/// <summary>What the store holds is read with care: bad data is one clear error, a crash of Culprit's own is kept with its stack trace, a result is never lost.</summary>
public sealed class StoredDataTests
{
    private static Task<(ScriptedRepository Repo, string Store, string Id)> FinishedJobAsync(TempDir temp) => CliHarness.FinishedJobAsync(temp, 6, 3);

    private static void Sql(string store, string sql)
    {
        using var db = new SqliteConnection($"Data Source={store};Pooling=false");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [Theory]
    [InlineData("UPDATE jobs SET spec = '{not json';", "cannot read its stored inputs")]
    [InlineData("UPDATE outcomes SET outcome = '[1, 2' WHERE seq = 1;", "cannot read its stored outcome #1")]
    public async Task Resuming_a_job_whose_stored_data_is_not_json_is_one_clear_error(string corrupt, string expected)
    {
        using var temp = new TempDir();
        var (_, store, id) = await FinishedJobAsync(temp);
        Sql(store, corrupt);

        var run = await CliHarness.InvokeAsync("resume", id, "--store", store);

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.StartsWith($"culprit: job {id}: {expected}", run.Error);
    }

    [Fact]
    public async Task An_unexpected_exception_in_a_job_is_stored_as_an_internal_error_with_its_stack_trace()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 3, culprit: 1);
        var store = temp.Sub("s.db");
        // Inputs that the command line no longer accepts, stored as an older Culprit could have: the
        // timer throws inside the job, which is Culprit's fault, not the user's.
        var spec = new JobSpec
        {
            Repo = repo.Path, Bad = repo.Hashes[2], Good = repo.Hashes[0], Build = "true", Test = "true", RunTimeoutSeconds = 4294968,
        };
        string id;
        using (var jobs = JobStore.Open(store))
        {
            id = jobs.CreateJob(JsonSerializer.Serialize(spec, JsonDefaults.Options), DateTimeOffset.UtcNow);
        }

        var run = await CliHarness.InvokeAsync("resume", id, "--store", store);
        var show = await CliHarness.InvokeAsync("show", id, "--store", store);

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.StartsWith("culprit: internal error: ", run.Error);
        Assert.Contains($"(its stack trace is in the job's log: culprit show {id})", run.Error);
        Assert.Contains("internal error: System.ArgumentOutOfRangeException", show.Output);
        Assert.Contains(show.Output.Split('\n'), l => l.TrimStart().StartsWith("at Culprit.", StringComparison.Ordinal));
        using var check = JobStore.Open(store);
        var job = check.GetJob(id);
        Assert.Equal("failed", job.State);
        using var result = JsonDocument.Parse(job.ResultJson!);
        Assert.Equal("error", result.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Resuming_a_finished_job_keeps_its_result_until_the_new_one_is_stored()
    {
        using var temp = new TempDir();
        var (_, store, id) = await FinishedJobAsync(temp);
        using var jobs = JobStore.Open(store);
        var before = jobs.GetJob(id).ResultJson;
        var probe = new StoreProbe(store, id);

        await Commands.JobCommands.Runner(jobs, probe).RunAsync(id);

        Assert.NotEmpty(probe.Seen);
        Assert.All(probe.Seen, seen => Assert.Equal(before, seen));
    }

    /// <summary>Reads the job's stored result each time the job writes a log line (from a connection of its own).</summary>
    private sealed class StoreProbe(string store, string id) : IJobListener
    {
        public List<string?> Seen { get; } = [];

        public void OnLine(string line)
        {
            using var jobs = JobStore.Open(store);
            Seen.Add(jobs.GetJob(id).ResultJson);
        }

        public void OnStatus(JobStatus status)
        {
        }
    }
}
