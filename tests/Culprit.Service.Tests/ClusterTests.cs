using System.Diagnostics;
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

            var demos = await DemoJobs.CreateAsync(temp);
            ClusterJob[] jobs = [demos.Classic(), demos.Classic(fromRelease: true), demos.Fix(), demos.Fix(), demos.FlakyJob(), demos.FlakyJob()];
            var ids = await Task.WhenAll(jobs.Select((job, i) => ClusterProbes.SubmitAsync(nodes[i % 3].Url, job)));

            // The victim: a node testing a commit of a classic job that has stored outcomes already (so some are
            // replayed, some lost in flight); the commits it holds slots for are the ones lost with it.
            var (victim, victimAddress, inFlight) = await VictimAsync(http, nodes, pg.ConnectionString, ids.Take(4).ToHashSet());
            Process.GetProcessById(victim.Pid).Kill();
            var live = nodes.First(n => n != victim);

            var results = await ClusterProbes.FinishedAsync(http, live.Url, ids, JobsDeadline);
            ClusterProbes.AssertCulprits(ids, jobs, results);
            foreach (var id in ids.Take(4))
            {
                await ClusterProbes.AssertNoCommitTestedTwiceAsync(pg.ConnectionString, id);
            }
            // The commits lost in flight were dispatched again (or replayed by the job's grain elsewhere) and finished there.
            foreach (var (job, commit) in inFlight)
            {
                var commits = await ClusterProbes.OutcomeCommitsAsync(pg.ConnectionString, job);
                Assert.Contains(commits, c => c.Split(' ')[1].StartsWith(commit, StringComparison.Ordinal));
            }
            Assert.NotEmpty(inFlight);
            // By silo address: what the dead node last reported may have died with it (the grain that kept it).
            await Polling.UntilAsync(async () => (await ClusterProbes.NodeStatusesAsync(http, live.Url)).GetValueOrDefault(victimAddress) == "dead",
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
                if (await ClusterProbes.SelfAsync(http, node) is not var (self, running))
                {
                    continue;
                }
                foreach (var job in running.Select(r => r.Job).Where(jobs.Contains))
                {
                    if ((await ClusterProbes.OutcomeCommitsAsync(connectionString, job)).Count > 0)
                    {
                        victim = node;
                        address = self;
                        inFlight = [.. running.Where(r => jobs.Contains(r.Job))];
                        return true;
                    }
                }
            }
            return false;
        }, TimeSpan.FromMinutes(3), () => "no node was running a job with stored outcomes");
        return (victim!, address, inFlight);
    }
}
