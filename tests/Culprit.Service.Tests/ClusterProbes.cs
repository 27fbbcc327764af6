using System.Text.Json;
using Culprit.Cli.Demo;
using Npgsql;

namespace Culprit.Service.Tests;

/// <summary>A job the cluster tests submit: the options of <c>culprit submit</c> after the server's, and the commit it must name.</summary>
internal sealed record ClusterJob(string[] Args, string Culprit);

/// <summary>
/// The demo repositories the cluster tests bisect (plain, flaky, and one with a later fix) and the jobs
/// made of them. The classic jobs' tests sleep first, so that a killed node is caught with commits under test.
/// </summary>
internal sealed class DemoJobs
{
    public const string SlowTest = "sleep 2 && ./test.sh";

    private DemoJobs(DemoInfo demo, DemoInfo flaky, DemoInfo fixedDemo) => (Demo, Flaky, FixedDemo) = (demo, flaky, fixedDemo);

    public DemoInfo Demo { get; }

    public DemoInfo Flaky { get; }

    public DemoInfo FixedDemo { get; }

    public static async Task<DemoJobs> CreateAsync(TempDir temp) => new(
        await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false),
        await DemoRepository.CreateAsync(temp.Sub("flaky"), flaky: true, withFix: false),
        await DemoRepository.CreateAsync(temp.Sub("fixed"), flaky: false, withFix: true));

    /// <summary>A classic bisection of the demo from its first commit, or from release v1.0.</summary>
    public ClusterJob Classic(bool fromRelease = false) => new(
        ["--repo", Demo.Path, "--bad", "HEAD", .. fromRelease ? (string[])["--good", "v1.0"] : [], "--test", SlowTest, "--runs", "1", "--strategy", "classic"],
        Demo.Bug);

    /// <summary>A classic fix bisection: the commit after v1.3 that removed the bug.</summary>
    public ClusterJob Fix() => new(
        ["--repo", FixedDemo.Path, "--fix", "--bad", "v1.3", "--good", "HEAD", "--test", SlowTest, "--runs", "1", "--strategy", "classic"],
        FixedDemo.Fix!);

    /// <summary>The flaky strategy on the demo whose crash shows only in some runs.</summary>
    public ClusterJob FlakyJob(string test = "./test.sh") => new(["--repo", Flaky.Path, "--bad", "HEAD", "--test", test, "--strategy", "flaky"], Flaky.Bug);
}

/// <summary>What the cluster tests read of a running cluster: its API (jobs, nodes) and its PostgreSQL job store.</summary>
internal static class ClusterProbes
{
    /// <summary>Submits <paramref name="job"/> to the node at <paramref name="url"/>; the job's id.</summary>
    public static async Task<string> SubmitAsync(string url, ClusterJob job)
    {
        var submit = await ServeProcess.InvokeAsync(["submit", "--server", url, "--build", "make", .. job.Args]);
        Assert.True(submit.Exit == 0, submit.Output + submit.Error);
        return submit.Output.Trim()["job: ".Length..];
    }

    /// <summary>Waits until every job has a result (<c>GET /api/jobs/{id}</c>); their result objects.</summary>
    public static async Task<Dictionary<string, JsonDocument>> FinishedAsync(HttpClient http, string url, IReadOnlyList<string> ids, TimeSpan deadline)
    {
        var done = new Dictionary<string, JsonDocument>();
        await Polling.UntilAsync(async () =>
        {
            foreach (var id in ids.Where(id => !done.ContainsKey(id)))
            {
                var doc = JsonDocument.Parse(await http.GetStringAsync($"{url}/api/jobs/{id}"));
                if (doc.RootElement.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.String)
                {
                    done[id] = doc;
                }
            }
            return done.Count == ids.Count;
        }, deadline, () => $"jobs not finished: {string.Join(' ', ids.Where(id => !done.ContainsKey(id)))}");
        return done;
    }

    /// <summary>Each job found its culprit.</summary>
    public static void AssertCulprits(IReadOnlyList<string> ids, IReadOnlyList<ClusterJob> jobs, Dictionary<string, JsonDocument> results)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            var result = results[ids[i]].RootElement;
            Assert.True(result.GetProperty("result").GetString() == "found", $"job {ids[i]}: {result}");
            Assert.Equal(jobs[i].Culprit, result.GetProperty("culprit").GetProperty("commit").GetString());
        }
    }

    /// <summary>The job's stored outcomes as "phase commit", in order of their numbers.</summary>
    public static async Task<List<string>> OutcomeCommitsAsync(string connectionString, string jobId) =>
        (await JobColumnAsync(connectionString, "SELECT outcome FROM outcomes WHERE job_id = @id ORDER BY seq;", jobId)).Select(json =>
        {
            using var outcome = JsonDocument.Parse(json);
            // A commit may come back in a later phase (verification retests the culprit's parent), never twice in one.
            var entry = outcome.RootElement;
            return $"{entry.GetProperty("phase").GetString()} {entry.GetProperty("outcome").GetProperty("commit").GetString()}";
        }).ToList();

    /// <summary>The job's stored log, line by line (for a failure's reader: what each test showed and how it was read).</summary>
    public static async Task<string> LogAsync(string connectionString, string jobId) =>
        string.Join('\n', await JobColumnAsync(connectionString, "SELECT text FROM log WHERE job_id = @id ORDER BY line_no;", jobId));

    /// <summary>The one text column <paramref name="sql"/> selects for the job <c>@id</c>, row by row.</summary>
    private static async Task<List<string>> JobColumnAsync(string connectionString, string sql, string jobId)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, db);
        cmd.Parameters.AddWithValue("id", jobId);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await r.ReadAsync())
        {
            rows.Add(r.GetString(0));
        }
        return rows;
    }

    /// <summary>A classic job tests each commit once per phase: a commit tested twice would be a finished outcome re-run.</summary>
    public static async Task AssertNoCommitTestedTwiceAsync(string connectionString, string jobId)
    {
        var commits = await OutcomeCommitsAsync(connectionString, jobId);
        Assert.True(commits.Distinct().Count() == commits.Count, $"job {jobId} tested a commit twice: {string.Join(", ", commits)}");
    }

    /// <summary>
    /// The node's own entry in the cluster it reports to: its silo address and what it runs, each a step of a
    /// commit test as (job, commit prefix); null until the node has reported itself.
    /// </summary>
    public static async Task<(string Address, List<(string Job, string Commit)> Running)?> SelfAsync(HttpClient http, ServeProcess node)
    {
        using var cluster = JsonDocument.Parse(await http.GetStringAsync($"{node.Url}/api/cluster"));
        var self = cluster.RootElement.GetProperty("nodes").EnumerateArray()
            .FirstOrDefault(n => n.GetProperty("urls").GetString()?.Contains(node.Url, StringComparison.Ordinal) == true);
        if (self.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        // Each running entry is a step of a commit test: "JOB step COMMIT".
        var running = self.GetProperty("running").EnumerateArray().Select(e => e.GetString()!.Split(' ')).Select(r => (r[0], r[^1])).Distinct().ToList();
        return (self.GetProperty("address").GetString()!, running);
    }

    /// <summary>Each node the cluster API lists, by silo address, with its membership status (active, dead…).</summary>
    public static async Task<Dictionary<string, string>> NodeStatusesAsync(HttpClient http, string url)
    {
        using var cluster = JsonDocument.Parse(await http.GetStringAsync($"{url}/api/cluster"));
        return cluster.RootElement.GetProperty("nodes").EnumerateArray()
            .ToDictionary(n => n.GetProperty("address").GetString()!, n => n.GetProperty("status").GetString()!, StringComparer.Ordinal);
    }
}
