using System.Diagnostics;
using System.Text.Json;
using Culprit.Cli.Demo;
using Npgsql;

namespace Culprit.Service.Tests;

/// <summary>
/// Three <c>culprit serve</c> nodes on one PostgreSQL database, one of them killed with SIGKILL while
/// it runs jobs: every job still ends with the right culprit on the nodes left, no commit of a job is
/// tested twice (finished outcomes are replayed, not re-run), and the cluster API shows the node dead.
/// </summary>
public sealed class ClusterTests
{
    private static readonly TimeSpan JobsDeadline = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task A_node_killed_mid_job_loses_nothing_and_the_others_finish_every_job()
    {
        await using var pg = await PostgresServer.StartAsync("culprit_cluster");
        using var temp = new TempDir("culprit-cluster");
        var nodes = new List<ServeProcess>();
        using var http = new HttpClient();
        try
        {
            // One node first makes the database's tables; the other two join it at once.
            nodes.Add(await ServeProcess.StartAsync(temp.Sub("node0"), "--cluster", pg.ConnectionString, "--builds", "2"));
            nodes.AddRange(await Task.WhenAll(Enumerable.Range(1, 2).Select(i =>
                ServeProcess.StartAsync(temp.Sub($"node{i}"), "--cluster", pg.ConnectionString, "--builds", "2"))));

            var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false);
            var flaky = await DemoRepository.CreateAsync(temp.Sub("flaky"), flaky: true, withFix: false);
            var fixedDemo = await DemoRepository.CreateAsync(temp.Sub("fixed"), flaky: false, withFix: true);
            // Slow tests, so that the killed node is caught with commits under test.
            const string slowTest = "sleep 2 && ./test.sh";
            string[][] jobs =
            [
                ["--repo", demo.Path, "--bad", "HEAD", "--test", slowTest, "--runs", "1", "--strategy", "classic"],
                ["--repo", demo.Path, "--bad", "HEAD", "--good", "v1.0", "--test", slowTest, "--runs", "1", "--strategy", "classic"],
                ["--repo", fixedDemo.Path, "--fix", "--bad", "v1.3", "--good", "HEAD", "--test", slowTest, "--runs", "1", "--strategy", "classic"],
                ["--repo", fixedDemo.Path, "--fix", "--bad", "v1.3", "--good", "HEAD", "--test", slowTest, "--runs", "1", "--strategy", "classic"],
                ["--repo", flaky.Path, "--bad", "HEAD", "--test", "./test.sh", "--strategy", "flaky"],
                ["--repo", flaky.Path, "--bad", "HEAD", "--test", "./test.sh", "--strategy", "flaky"],
            ];
            string[] expected = [demo.Bug, demo.Bug, fixedDemo.Fix!, fixedDemo.Fix!, flaky.Bug, flaky.Bug];
            var ids = await Task.WhenAll(jobs.Select(async (args, i) =>
            {
                var submit = await ServeProcess.InvokeAsync(["submit", "--server", nodes[i % 3].Url, "--build", "make", .. args]);
                Assert.True(submit.Exit == 0, submit.Output + submit.Error);
                return submit.Output.Trim()["job: ".Length..];
            }));

            // The victim: a node testing a commit of a classic job that has stored outcomes already (so some are
            // replayed, some lost in flight); the commits it holds slots for are the ones lost with it.
            var (victim, victimAddress, inFlight) = await VictimAsync(http, nodes, pg.ConnectionString, ids.Take(4).ToHashSet());
            Process.GetProcessById(victim.Pid).Kill();
            var live = nodes.First(n => n != victim);

            var results = await FinishedAsync(http, live.Url, ids);
            for (var i = 0; i < ids.Length; i++)
            {
                var result = results[ids[i]].RootElement;
                Assert.True(result.GetProperty("result").GetString() == "found", $"job {ids[i]}: {result}");
                Assert.Equal(expected[i], result.GetProperty("culprit").GetProperty("commit").GetString());
            }
            // Classic jobs test each commit once: a commit tested twice would be a finished outcome re-run.
            foreach (var id in ids.Take(4))
            {
                var commits = await OutcomeCommitsAsync(pg.ConnectionString, id);
                Assert.Equal(commits.Distinct().Count(), commits.Count);
            }
            // The commits lost in flight were dispatched again (or replayed by the job's grain elsewhere) and finished there.
            foreach (var (job, commit) in inFlight)
            {
                var commits = await OutcomeCommitsAsync(pg.ConnectionString, job);
                Assert.Contains(commits, c => c.Split(' ')[1].StartsWith(commit, StringComparison.Ordinal));
            }
            Assert.NotEmpty(inFlight);
            // By silo address: what the dead node last reported may have died with it (the grain that kept it).
            await Polling.UntilAsync(async () => NodeStatus(await http.GetStringAsync($"{live.Url}/api/cluster"), victimAddress) == "dead",
                TimeSpan.FromMinutes(1), () => "the cluster API never showed the killed node dead");
            // Every job ended: the live nodes keep no worker trees of them, also those of a job whose grain died with the victim.
            var survivors = nodes.Where(n => n != victim).ToList();
            await Polling.UntilAsync(() => Task.FromResult(survivors.All(n => !DispatchTests.WorkerDirs(n.Work).Any())),
                TimeSpan.FromSeconds(30), () => $"worker directories left: {string.Join(", ", survivors.SelectMany(n => DispatchTests.WorkerDirs(n.Work)))}");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
            NpgsqlConnection.ClearAllPools();
        }
    }

    /// <summary>A node testing a commit of one of <paramref name="jobs"/> that has stored outcomes, its silo address, and the (job, commit prefix) it holds slots for.</summary>
    private static async Task<(ServeProcess Node, string Address, List<(string Job, string Commit)> InFlight)> VictimAsync(
        HttpClient http, List<ServeProcess> nodes, string connectionString, IReadOnlySet<string> jobs)
    {
        ServeProcess? victim = null;
        var address = "";
        var inFlight = new List<(string Job, string Commit)>();
        await Polling.UntilAsync(async () =>
        {
            foreach (var node in nodes)
            {
                using var cluster = JsonDocument.Parse(await http.GetStringAsync($"{node.Url}/api/cluster"));
                var self = cluster.RootElement.GetProperty("nodes").EnumerateArray()
                    .FirstOrDefault(n => n.GetProperty("urls").GetString()?.Contains(node.Url, StringComparison.Ordinal) == true);
                if (self.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }
                // Each running entry is a step of a commit test: "JOB step COMMIT".
                var running = self.GetProperty("running").EnumerateArray().Select(e => e.GetString()!.Split(' ')).ToList();
                foreach (var job in running.Select(r => r[0]).Where(jobs.Contains))
                {
                    if ((await OutcomeCommitsAsync(connectionString, job)).Count > 0)
                    {
                        victim = node;
                        address = self.GetProperty("address").GetString()!;
                        inFlight = [.. running.Where(r => jobs.Contains(r[0])).Select(r => (r[0], r[^1])).Distinct()];
                        return true;
                    }
                }
            }
            return false;
        }, TimeSpan.FromMinutes(3), () => "no node was running a job with stored outcomes");
        return (victim!, address, inFlight);
    }

    private static async Task<Dictionary<string, JsonDocument>> FinishedAsync(HttpClient http, string url, string[] ids)
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
            return done.Count == ids.Length;
        }, JobsDeadline, () => $"jobs not finished: {string.Join(' ', ids.Where(id => !done.ContainsKey(id)))}");
        return done;
    }

    /// <summary>The job's stored outcomes as "phase commit", in order.</summary>
    private static async Task<List<string>> OutcomeCommitsAsync(string connectionString, string jobId)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT outcome FROM outcomes WHERE job_id = @id ORDER BY seq;", db);
        cmd.Parameters.AddWithValue("id", jobId);
        await using var r = await cmd.ExecuteReaderAsync();
        var commits = new List<string>();
        while (await r.ReadAsync())
        {
            using var outcome = JsonDocument.Parse(r.GetString(0));
            // A commit may come back in a later phase (verification retests the culprit's parent), never twice in one.
            var entry = outcome.RootElement;
            commits.Add($"{entry.GetProperty("phase").GetString()} {entry.GetProperty("outcome").GetProperty("commit").GetString()}");
        }
        return commits;
    }

    private static string? NodeStatus(string clusterJson, string address)
    {
        using var cluster = JsonDocument.Parse(clusterJson);
        return cluster.RootElement.GetProperty("nodes").EnumerateArray()
            .Where(n => n.GetProperty("address").GetString() == address)
            .Select(n => n.GetProperty("status").GetString())
            .FirstOrDefault();
    }
}
