using System.Text.Json;
using Culprit.Cli.Demo;
using Npgsql;

namespace Culprit.Service.Tests;

/// <summary>
/// A job's commits go to worker grains on the cluster's nodes, not only to the node its grain lives
/// on: a job's workers test on two nodes at once, and a node that joins after the jobs were
/// submitted takes some of their commits. Each worker node logs <c>job J: testing commit C</c>.
/// </summary>
public sealed class DispatchTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_job_s_workers_test_its_commits_on_two_nodes()
    {
        await using var pg = await PostgresServer.StartAsync("culprit_dispatch");
        using var temp = new TempDir("culprit-dispatch");
        var nodes = new List<ServeProcess>();
        try
        {
            // One build slot each: the job's second worker cannot fit beside the first on one node.
            nodes.Add(await ServeProcess.StartAsync(temp.Sub("node0"), "--cluster", pg.ConnectionString, "--builds", "1"));
            nodes.Add(await ServeProcess.StartAsync(temp.Sub("node1"), "--cluster", pg.ConnectionString, "--builds", "1"));
            var flaky = await DemoRepository.CreateAsync(temp.Sub("flaky"), flaky: true, withFix: false);

            var id = await SubmitAsync(nodes[0].Url, "--repo", flaky.Path, "--bad", "HEAD", "--build", "make", "--test", "./test.sh",
                "--strategy", "flaky", "--workers", "2");

            var result = await FinishedAsync(nodes[0].Url, id);
            Assert.True(result.GetProperty("result").GetString() == "found", result.ToString());
            Assert.Equal(flaky.Bug, result.GetProperty("culprit").GetProperty("commit").GetString());
            Assert.All(nodes, n => Assert.Contains($"job {id}: testing commit ", n.Output));
            // The job ended: no node keeps its workers' trees (each worker tested on both nodes).
            await Polling.UntilAsync(() => Task.FromResult(nodes.All(n => !WorkerDirs(n.Work).Any(d => d.StartsWith($"{id}-w", StringComparison.Ordinal)))),
                TimeSpan.FromSeconds(30), () => $"worker directories of job {id} left: {string.Join(", ", nodes.SelectMany(n => WorkerDirs(n.Work)))}");
        }
        finally
        {
            await StopAsync(nodes);
        }
    }

    [Fact]
    public async Task A_node_that_joins_after_the_jobs_were_submitted_takes_their_commits()
    {
        await using var pg = await PostgresServer.StartAsync("culprit_late_node");
        using var temp = new TempDir("culprit-late-node");
        var nodes = new List<ServeProcess>();
        try
        {
            nodes.Add(await ServeProcess.StartAsync(temp.Sub("node0"), "--cluster", pg.ConnectionString, "--builds", "1"));
            var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false);
            // Every test waits for the gate, opened once the second node is in the cluster: the jobs cannot
            // finish on the lone node however slow the second one is to start.
            var gate = Path.Combine(temp.Path, "gate");
            string[] job = ["--repo", demo.Path, "--bad", "HEAD", "--build", "make", "--test", $"until [ -e '{gate}' ]; do sleep 0.2; done; sleep 1 && ./test.sh",
                "--runs", "1", "--strategy", "classic"];
            var ids = new[] { await SubmitAsync(nodes[0].Url, job), await SubmitAsync(nodes[0].Url, job) };
            // The lone node is busy with the jobs (one slot for two) before the second node starts.
            await Polling.UntilAsync(() => Task.FromResult(nodes[0].Output.Contains($"job {ids[0]}: testing commit ") || nodes[0].Output.Contains($"job {ids[1]}: testing commit ")),
                Deadline, () => "timed out waiting for the first node to test a commit");

            nodes.Add(await ServeProcess.StartAsync(temp.Sub("node1"), "--cluster", pg.ConnectionString, "--builds", "1"));
            using (var http = new HttpClient())
            {
                await Polling.UntilAsync(async () => await ClusterProbes.SelfAsync(http, nodes[1]) is not null
                        && (await ClusterProbes.NodeStatusesAsync(http, nodes[0].Url)).Values.Count(s => s == "active") == 2,
                    Deadline, () => "the second node never showed in the first node's cluster view");
            }
            File.WriteAllText(gate, "");

            foreach (var id in ids)
            {
                var result = await FinishedAsync(nodes[0].Url, id);
                Assert.Equal(demo.Bug, result.GetProperty("culprit").GetProperty("commit").GetString());
            }
            Assert.True(ids.Any(id => nodes[1].Output.Contains($"job {id}: testing commit ")), $"the late node tested nothing:\n{nodes[1].Output}");
        }
        finally
        {
            await StopAsync(nodes);
        }
    }

    /// <summary>The job worker directories on a node (<c>JOB-wN</c>).</summary>
    internal static IEnumerable<string> WorkerDirs(string work)
    {
        var dir = Path.Combine(work, "work", "workers");
        return Directory.Exists(dir) ? Directory.GetDirectories(dir).Select(d => Path.GetFileName(d)!) : [];
    }

    private static async Task<string> SubmitAsync(string url, params string[] args)
    {
        var submit = await ServeProcess.InvokeAsync(["submit", "--server", url, .. args]);
        Assert.True(submit.Exit == 0, submit.Output + submit.Error);
        return submit.Output.Trim()["job: ".Length..];
    }

    private static async Task<JsonElement> FinishedAsync(string url, string id)
    {
        using var http = new HttpClient();
        JsonElement result = default;
        await Polling.UntilAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"{url}/api/jobs/{id}"));
            if (doc.RootElement.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.String)
            {
                result = doc.RootElement.Clone();
                return true;
            }
            return false;
        }, Deadline, () => $"timed out waiting for job {id} to finish");
        return result;
    }

    private static async Task StopAsync(List<ServeProcess> nodes)
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
        NpgsqlConnection.ClearAllPools();
    }
}
