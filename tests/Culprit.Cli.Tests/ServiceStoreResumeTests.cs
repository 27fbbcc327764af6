using System.Text;
using System.Text.Json;
using Culprit.Jobs;
using Culprit.Store;

namespace Culprit.Cli.Tests;

/// <summary>
/// <c>culprit resume --store</c> of a service's store: a submitted kernel job's files are in the store
/// (the spec keeps only the user's file names), and the CLI writes them out and tests with them as a
/// service node does (<see cref="JobInputs"/>, the same inputs folder beside the work directories).
/// </summary>
public sealed class ServiceStoreResumeTests
{
    private static readonly byte[] Config = Encoding.UTF8.GetBytes("CONFIG_X=y\n");
    private static readonly byte[] Repro = Encoding.UTF8.GetBytes("exit 0\n");

    [KernelFact]
    public async Task A_kernel_job_the_service_stored_resumes_with_the_files_its_store_keeps()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 2, culprit: 1);
        // A service node's folder: its store, work/ and inputs/ side by side.
        var node = temp.Sub("node");
        Directory.CreateDirectory(node);
        var store = Path.Combine(node, "culprit.db");
        // No QEMU there: the job stops at the VM check, the one after the config is read, before anything is built.
        var qemu = temp.Sub("no-such-qemu");
        string id;
        using (var jobs = JobStore.Open(store))
        {
            // As the service stores a submitted kernel job: the user's file names in the spec, the files in the store.
            var spec = new JobSpec
            {
                Repo = repo.Path, Bad = repo.Hashes[1], Good = repo.Hashes[0], Runs = 1,
                Kernel = new KernelSpec { Config = "syz.config", Repro = "repro.sh", Qemu = qemu },
            };
            id = jobs.CreateJob(JsonSerializer.Serialize(spec, JsonDefaults.Options), DateTimeOffset.UtcNow,
                [new JobFile("config", "syz.config", Config), new JobFile("repro", "repro.sh", Repro)]);
        }

        var run = await CliHarness.InvokeAsync("resume", id, "--store", store);

        Assert.NotEqual(0, run.ExitCode);
        // The config was read from this machine's copy: without it the job fails on "kernel config syz.config not found".
        Assert.DoesNotContain("syz.config", run.Error);
        Assert.Contains($"{qemu} not found", run.Error);
        var inputs = Path.Combine(node, "inputs");
        Assert.Equal(Config, File.ReadAllBytes(Path.Combine(inputs, new JobFile("config", "syz.config", Config).Sha256, "syz.config")));
        Assert.Equal(Repro, File.ReadAllBytes(Path.Combine(inputs, new JobFile("repro", "repro.sh", Repro).Sha256, "repro.sh")));
        // The stored spec still names the user's files: each machine points its own run at its own copies.
        using var reopened = JobStore.Open(store);
        var stored = JsonSerializer.Deserialize<JobSpec>(reopened.GetJob(id).SpecJson, JsonDefaults.Options)!;
        Assert.Equal(("syz.config", "repro.sh"), (stored.Kernel!.Config, stored.Kernel.Repro));
    }
}
