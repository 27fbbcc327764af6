using System.Text;
using System.Text.Json;
using Culprit.Cli.Demo;
using Culprit.Core.Domain;
using Culprit.Core.Testing;
using Culprit.Jobs;
using Culprit.Service.Nodes;
using Culprit.Service.Submissions;
using Culprit.Store;
using Npgsql;

namespace Culprit.Service.Tests;

/// <summary>
/// A kernel job's files travel with the job: the store keeps them, and every node that tests the
/// job's commits writes them into its own inputs directory (by content) before its tester is made,
/// so a job or a commit moved to another machine finds them; the spec keeps the user's file names.
/// </summary>
public sealed class JobInputsTests
{
    private static readonly byte[] Config = Encoding.UTF8.GetBytes("CONFIG_KASAN=y\nCONFIG_DEBUG_INFO=y\n");
    private static readonly byte[] Repro = Encoding.UTF8.GetBytes("int main(void) { return 0; }\n");

    [Fact]
    public async Task Each_node_of_a_cluster_writes_a_job_s_files_from_the_store_into_its_own_directory()
    {
        await using var pg = await PostgresServer.StartAsync("culprit_inputs");
        using var temp = new TempDir("culprit-inputs");
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false);
        var stores = JobStores.Postgres(pg.ConnectionString);
        string id;
        using (var store = stores.Open())
        {
            id = store.CreateJob(KernelSpec(demo.Path), DateTimeOffset.UnixEpoch, [new JobFile("config", "syz.config", Config), new JobFile("repro", "repro.c", Repro)]);
        }
        try
        {
            // Two nodes: nothing of the job is on either's disk but what the store holds.
            foreach (var node in new[] { "node0", "node1" })
            {
                var seen = new List<JobSpec>();
                await using var testers = new NodeTesters(Options(temp.Sub(node), seen), stores, new RepositoryCache(temp.Sub($"{node}-repos")));
                await testers.ForAsync(id, 0, CancellationToken.None);

                var kernel = Assert.Single(seen).Kernel!;
                var inputs = Path.Combine(temp.Sub(node), "inputs");
                Assert.Equal(Path.Combine(inputs, new JobFile("c", "c", Config).Sha256, "syz.config"), kernel.Config);
                Assert.Equal(Path.Combine(inputs, new JobFile("r", "r", Repro).Sha256, "repro.c"), kernel.Repro);
                Assert.Equal(Config, File.ReadAllBytes(kernel.Config));
                Assert.Equal(Repro, File.ReadAllBytes(kernel.Repro));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task A_node_keeps_one_copy_per_content_and_a_job_stored_without_files_keeps_its_paths()
    {
        using var temp = new TempDir("culprit-inputs");
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false);
        var stores = new JobStores(temp.Sub("culprit.db"));
        string[] ids;
        using (var store = stores.Open())
        {
            ids =
            [
                store.CreateJob(KernelSpec(demo.Path), DateTimeOffset.UnixEpoch, [new JobFile("config", "syz.config", Config), new JobFile("repro", "repro.c", Repro)]),
                store.CreateJob(KernelSpec(demo.Path), DateTimeOffset.UnixEpoch, [new JobFile("config", "syz.config", Config), new JobFile("repro", "repro.c", Repro)]),
                // As the CLI's bisect stores a kernel job: paths on this machine, no files.
                store.CreateJob(KernelSpec(demo.Path), DateTimeOffset.UnixEpoch),
            ];
        }
        var seen = new List<JobSpec>();
        await using var testers = new NodeTesters(Options(temp.Sub("node"), seen), stores, new RepositoryCache(temp.Sub("repos")));
        foreach (var id in ids)
        {
            await testers.ForAsync(id, 0, CancellationToken.None);
        }

        Assert.Equal(seen[0].Kernel!.Config, seen[1].Kernel!.Config);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(temp.Sub("node"), "inputs")).Length);
        Assert.Equal(("syz.config", "repro.c"), (seen[2].Kernel!.Config, seen[2].Kernel!.Repro));
    }

    [Fact]
    public async Task A_submitted_kernel_job_keeps_its_files_in_the_store_and_its_node_tests_with_its_own_copies()
    {
        using var temp = new TempDir("culprit-inputs");
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false);
        var config = temp.Sub("syz.config");
        var repro = temp.Sub("repro.c");
        File.WriteAllBytes(config, Config);
        File.WriteAllBytes(repro, Repro);
        var work = temp.Sub("work");
        string id;
        await using (var node = await ServeProcess.StartAsync(work))
        {
            var submit = await ServeProcess.InvokeAsync("submit", "--server", node.Url, "--kernel", "--repo", demo.Path, "--bad", "HEAD", "--good", "v1.0",
                "--config", config, "--repro", repro, "--runs", "1", "--no-verify");
            Assert.True(submit.Exit == 0, submit.Output + submit.Error);
            id = submit.Output.Trim()["job: ".Length..];
            // The demo is no kernel: the job ends early, after its node has written the files it tests with.
            using var http = new HttpClient();
            await Polling.UntilAsync(async () =>
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync($"{node.Url}/api/jobs/{id}"));
                return doc.RootElement.GetProperty("result").ValueKind == JsonValueKind.String
                    || doc.RootElement.TryGetProperty("state", out var state) && state.GetString() is "failed" or "stopped";
            }, TimeSpan.FromMinutes(2), () => $"job {id} did not end:\n{node.Output}");
        }
        using var store = JobStore.Open(Path.Combine(work, "culprit.db"));
        var spec = JsonSerializer.Deserialize<JobSpec>(store.GetJob(id).SpecJson, JsonDefaults.Options)!;
        Assert.Equal(("syz.config", "repro.c"), (spec.Kernel!.Config, spec.Kernel.Repro));
        Assert.Equal(["config", "repro"], store.JobFiles(id).Select(f => f.Name));
        Assert.Equal(Config, store.JobFileContent(id, "config"));
        Assert.Equal(Config, File.ReadAllBytes(Path.Combine(work, "inputs", new JobFile("c", "c", Config).Sha256, "syz.config")));
    }

    [Fact]
    public async Task A_file_too_large_to_submit_is_refused_in_one_line_before_it_is_sent()
    {
        using var temp = new TempDir("culprit-inputs");
        var config = temp.Sub("huge.config");
        await File.WriteAllBytesAsync(config, new byte[JobSubmission.MaxFileBytes + 1]);
        File.WriteAllBytes(temp.Sub("repro.c"), Repro);
        // No server listens there: the file is refused before any request.
        var submit = await ServeProcess.InvokeAsync("submit", "--server", "http://127.0.0.1:9", "--kernel", "--repo", temp.Path, "--bad", "HEAD",
            "--config", config, "--repro", temp.Sub("repro.c"));
        Assert.NotEqual(0, submit.Exit);
        Assert.Equal($"culprit: --config file {config} is {JobSubmission.MaxFileBytes + 1} bytes; a submitted file may have at most {JobSubmission.MaxFileBytes} bytes (4 MiB)",
            submit.Error.Trim());
    }

    private static string KernelSpec(string repo) => JsonSerializer.Serialize(new JobSpec
    {
        Repo = repo,
        Bad = "HEAD",
        Kernel = new KernelSpec { Config = "syz.config", Repro = "repro.c" },
    }, JsonDefaults.Options);

    /// <summary>A node whose testers only record the spec they were made from.</summary>
    private static ServiceOptions Options(string work, List<JobSpec> seen) => new()
    {
        WorkDir = work,
        Testers = (_, _) => (spec, _, _, _) =>
        {
            lock (seen)
            {
                seen.Add(spec);
            }
            return Task.FromResult<ICommitTester>(new Unused());
        },
    };

    private sealed class Unused : ICommitTester
    {
        public int ParallelRuns => 1;

        public Task<string?> PrepareAsync(string commit, CancellationToken ct) => throw new NotSupportedException();

        public Task<BuildResult> BuildAsync(string commit, CancellationToken ct) => throw new NotSupportedException();

        public Task<RunOutcome> RunAsync(BuildResult build, int runIndex, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
