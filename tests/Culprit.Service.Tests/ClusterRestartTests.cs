using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Xunit.Abstractions;

namespace Culprit.Service.Tests;

/// <summary>
/// Every node of a PostgreSQL cluster killed with SIGKILL mid-job, then started again (new processes on new
/// ports, the same database and work directories, as machines that rebooted): each unfinished job resumes on
/// its own and ends with the right culprit, its stored outcomes replayed rather than re-run (only the commits
/// in flight at the kill are tested again), and the cluster API shows the new nodes alive, the old ones dead.
/// </summary>
public sealed class ClusterRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan JobsDeadline = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Every_node_killed_and_started_again_resumes_and_finishes_every_unfinished_job()
    {
        await using var pg = await PostgresServer.StartAsync("culprit_restart");
        using var temp = new TempDir("culprit-cluster-restart");
        using var http = new HttpClient();
        var nodes = new List<ServeProcess>();
        var clock = Stopwatch.StartNew();
        void Milestone(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s: {what}");
        try
        {
            string[] works = [temp.Sub("node0"), temp.Sub("node1")];
            nodes.Add(await ServeProcess.StartAsync(works[0], "--cluster", pg.ConnectionString, "--builds", "2"));
            nodes.Add(await ServeProcess.StartAsync(works[1], "--cluster", pg.ConnectionString, "--builds", "2"));
            var first = nodes.ToList();

            var demos = await DemoJobs.CreateAsync(temp);
            // Each job's commit tests take seconds, so that none ends before every one has stored an outcome.
            ClusterJob[] jobs = [demos.Classic(), demos.Classic(fromRelease: true), demos.Fix(), demos.FlakyJob("sleep 0.5 && ./test.sh")];
            var ids = await Task.WhenAll(jobs.Select((job, i) => ClusterProbes.SubmitAsync(first[i % 2].Url, job)));

            Milestone($"{ids.Length} jobs submitted");
            var (oldAddresses, inFlight) = await MidRunAsync(http, first, pg.ConnectionString, ids);
            // Both machines die at once: the node processes first, then whatever their commit tests had started.
            foreach (var node in first)
            {
                Process.GetProcessById(node.Pid).Kill();
            }
            foreach (var node in first)
            {
                await node.DisposeAsync();
            }

            Milestone($"both nodes killed; in flight: {string.Join(", ", inFlight.Select(f => $"{f.Job} {f.Commit}"))}");
            var before = new Dictionary<string, List<string>>();
            foreach (var id in ids)
            {
                before[id] = await ClusterProbes.OutcomeCommitsAsync(pg.ConnectionString, id);
                Assert.True(await StateAsync(pg.ConnectionString, id) == "running", $"job {id} ended before the nodes were killed");
            }

            // The machines come back: new processes, new ports, the same database and work directories. Nobody
            // submits or resumes anything; the nodes find the unfinished jobs themselves.
            var second = (await Task.WhenAll(works.Select(w => ServeProcess.StartAsync(w, "--cluster", pg.ConnectionString, "--builds", "2")))).ToList();
            nodes.AddRange(second);
            Milestone("both nodes started again");

            var results = await ClusterProbes.FinishedAsync(http, second[0].Url, ids, JobsDeadline);
            Milestone("every job finished");
            foreach (var id in ids)
            {
                // Shown only when the test fails: how each job read its tests, before and after the restart.
                output.WriteLine($"--- job {id} log\n{await ClusterProbes.LogAsync(pg.ConnectionString, id)}");
            }
            ClusterProbes.AssertCulprits(ids, jobs, results);
            var storedAfter = 0;
            foreach (var id in ids)
            {
                // What was stored before the kill is kept as it was (replayed, not re-run or stored again). A job
                // may store nothing more: its commit under test may have stored its outcome just before the kill.
                var after = await ClusterProbes.OutcomeCommitsAsync(pg.ConnectionString, id);
                Assert.Equal(before[id], after.Take(before[id].Count));
                storedAfter += after.Count - before[id].Count;
            }
            Assert.True(storedAfter > 0, "no job tested a commit after the restart");
            foreach (var id in ids.Take(3))
            {
                await ClusterProbes.AssertNoCommitTestedTwiceAsync(pg.ConnectionString, id);
            }
            // The commits under test at the kill that had not stored their outcome were tested again after it.
            foreach (var (job, commit) in inFlight)
            {
                var after = await ClusterProbes.OutcomeCommitsAsync(pg.ConnectionString, job);
                Assert.Contains(after, c => c.Split(' ')[1].StartsWith(commit, StringComparison.Ordinal));
            }

            // The jobs list agrees: every job finished.
            using (var list = JsonDocument.Parse(await http.GetStringAsync($"{second[1].Url}/api/jobs")))
            {
                var states = list.RootElement.EnumerateArray().ToDictionary(j => j.GetProperty("id").GetString()!, j => j.GetProperty("state").GetString());
                Assert.All(ids, id => Assert.Equal("finished", states.GetValueOrDefault(id)));
                Milestone("jobs' durations: " + string.Join(", ", list.RootElement.EnumerateArray()
                    .Select(j => $"{j.GetProperty("id").GetString()} {j.GetProperty("duration_seconds").GetDouble():F0} s")));
            }

            // The cluster shows the new nodes alive and the old ones dead (or no longer listed).
            var newAddresses = new List<string>();
            foreach (var node in second)
            {
                await Polling.UntilAsync(async () => await ClusterProbes.SelfAsync(http, node) is not null,
                    TimeSpan.FromSeconds(30), () => $"node {node.Url} never reported itself");
                newAddresses.Add((await ClusterProbes.SelfAsync(http, node))!.Value.Address);
            }
            Dictionary<string, string> statuses = [];
            await Polling.UntilAsync(async () =>
            {
                statuses = await ClusterProbes.NodeStatusesAsync(http, second[0].Url);
                return newAddresses.All(a => statuses.GetValueOrDefault(a) == "active")
                    && oldAddresses.All(a => statuses.GetValueOrDefault(a) is null or "dead");
            }, TimeSpan.FromMinutes(1), () => $"the cluster API shows {string.Join(", ", statuses.Select(s => $"{s.Key} {s.Value}"))}; " +
                $"new nodes {string.Join(", ", newAddresses)}, old nodes {string.Join(", ", oldAddresses)}");

            // Ended jobs leave no worker trees, also those the killed nodes left in the same work directories.
            await Polling.UntilAsync(() => Task.FromResult(second.All(n => !DispatchTests.WorkerDirs(n.Work).Any())),
                TimeSpan.FromSeconds(30), () => $"worker directories left: {string.Join(", ", second.SelectMany(n => DispatchTests.WorkerDirs(n.Work)))}");
            Milestone("old nodes dead, new ones active, no worker directories left");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
                // The nodes' logs, for a failure's reader (a resumed job's grain logs where and when it started).
                output.WriteLine($"--- node {node.Url} ({node.Work})\n{node.Output}");
            }
            NpgsqlConnection.ClearAllPools();
        }
    }

    /// <summary>
    /// Waits until every job has a stored outcome and some node tests a commit of one of them; the nodes' silo
    /// addresses and the (job, commit prefix) under test then.
    /// </summary>
    private static async Task<(List<string> Addresses, List<(string Job, string Commit)> InFlight)> MidRunAsync(
        HttpClient http, List<ServeProcess> nodes, string connectionString, string[] ids)
    {
        var addresses = new List<string>();
        var inFlight = new List<(string Job, string Commit)>();
        var stored = new Dictionary<string, int>();
        await Polling.UntilAsync(async () =>
        {
            foreach (var id in ids)
            {
                stored[id] = (await ClusterProbes.OutcomeCommitsAsync(connectionString, id)).Count;
            }
            if (stored.Values.Any(n => n == 0))
            {
                return false;
            }
            addresses.Clear();
            inFlight.Clear();
            foreach (var node in nodes)
            {
                if (await ClusterProbes.SelfAsync(http, node) is not var (address, running))
                {
                    return false;
                }
                addresses.Add(address);
                inFlight.AddRange(running.Where(r => ids.Contains(r.Job)));
            }
            return inFlight.Count > 0;
        }, TimeSpan.FromMinutes(3), () => $"not every job stored an outcome with one still under test: {string.Join(", ", stored.Select(s => $"{s.Key} {s.Value}"))}",
            TimeSpan.FromMilliseconds(200));
        return (addresses, inFlight);
    }

    private static async Task<string?> StateAsync(string connectionString, string id)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT state FROM jobs WHERE id = @id;", db);
        cmd.Parameters.AddWithValue("id", id);
        return (string?)await cmd.ExecuteScalarAsync();
    }
}
