using Culprit.Store;

namespace Culprit.Cli.Tests;

/// <summary>
/// `culprit bisect` on a commit the machine cannot test: exit 1 with one line, the job stopped (not
/// finished) and `culprit resume` going on once the machine is mended. `--accel` is checked and kept
/// in the job for resume.
/// </summary>
public sealed class UntestableCommitCliTests
{
    [Fact]
    public async Task A_bad_commit_whose_every_run_is_an_infra_error_stops_the_job_and_resume_finishes_it_once_mended()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 8, culprit: 5);
        var broken = temp.Sub("machine-broken");
        await File.WriteAllTextAsync(broken, "");
        var test = $"if [ -e '{broken}' ]; then echo 'vm lost'; exit 125; fi; " + ScriptedRepository.Test;
        var store = temp.Sub("s.db");

        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", test, "--runs", "2", "--no-verify", "--store", store);

        var expected = $"could not test {repo.Hashes[7]}: every run was an infra error (vm lost)";
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"culprit: {expected}", run.Error.Trim());
        Assert.Contains(expected, run.Output);
        Assert.DoesNotContain("does not reproduce", run.Output);
        string id;
        using (var jobs = JobStore.Open(store))
        {
            var job = Assert.Single(jobs.ListJobs());
            Assert.Equal("stopped", job.State);
            id = job.Id;
        }
        var show = await CliHarness.InvokeAsync("show", id, "--store", store);
        Assert.Contains($"job {id} is stopped: `culprit resume {id}` continues it", show.Output);

        File.Delete(broken);
        var resumed = await CliHarness.InvokeAsync("resume", id, "--store", store);

        Assert.True(resumed.ExitCode == 0, resumed.Error + resumed.Output);
        Assert.Contains($"first bad commit: {repo.Hashes[5]}", resumed.Output);
    }

    [Fact]
    public async Task A_stopped_job_that_still_cannot_test_stops_again_on_resume_with_a_non_zero_exit()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 4, culprit: 2);
        var store = temp.Sub("s.db");
        await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", "exit 125", "--runs", "1", "--store", store);
        using var jobs = JobStore.Open(store);
        var id = Assert.Single(jobs.ListJobs()).Id;

        var resumed = await CliHarness.InvokeAsync("resume", id, "--store", store);

        Assert.Equal(1, resumed.ExitCode);
        Assert.Equal($"culprit: could not test {repo.Hashes[3]}: every run was an infra error (exit status 125)", resumed.Error.Trim());
        Assert.Equal("stopped", jobs.GetJob(id).State);
    }

    [Fact]
    public async Task With_skip_untestable_a_test_that_says_125_skips_the_commit_as_git_bisect_run_does()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 12, culprit: 7);
        // Commits 4 and 5 (5 is git's first pick) cannot be tested, whatever the machine: the test says so with 125.
        var cannot = string.Join(" ", repo.Hashes.Skip(4).Take(2));
        var test = $"case \" {cannot} \" in *\" $(git rev-parse HEAD) \"*) echo 'no test here'; exit 125;; esac; " + ScriptedRepository.Test;
        var store = temp.Sub("s.db");

        var stopped = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", test, "--runs", "2", "--no-verify", "--strategy", "classic", "--store", store);
        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("every run was an infra error (no test here)", stopped.Error);
        string id;
        using (var jobs = JobStore.Open(store))
        {
            id = Assert.Single(jobs.ListJobs()).Id;
        }

        var resumed = await CliHarness.InvokeAsync("resume", id, "--skip-untestable", "--store", store);

        Assert.True(resumed.ExitCode == 0, resumed.Error + resumed.Output);
        Assert.Contains($"could not test {repo.Hashes[5]}: every run was an infra error (no test here): skipped (--skip-untestable)", resumed.Output);
        Assert.Contains($"# git bisect skip {repo.Hashes[5]}", resumed.Output);
        Assert.Single(resumed.Output.Split('\n'), l => l == "all runs: infra error: no test here");
        Assert.Contains($"first bad commit: {repo.Hashes[7]}", resumed.Output);

        var fresh = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", test, "--runs", "2", "--no-verify", "--skip-untestable", "--store", temp.Sub("t.db"));
        Assert.True(fresh.ExitCode == 0, fresh.Error + fresh.Output);
        Assert.Contains($"first bad commit: {repo.Hashes[7]}", fresh.Output);
    }

    [Theory]
    [InlineData("--accel", "fast", "--kernel", "culprit: --accel must be auto, kvm or tcg (got fast)")]
    [InlineData("--accel", "kvm", "--no-verify", "culprit: --accel is for kernel mode (--kernel)")]
    [InlineData("--qemu", "/usr/bin/qemu-system-x86_64", "--no-verify", "culprit: --qemu is for kernel mode (--kernel)")]
    [InlineData("--vms", "2", "--no-verify", "culprit: --vms is for kernel mode (--kernel)")]
    [InlineData("--boot-timeout", "60", "--no-verify", "culprit: --boot-timeout is for kernel mode (--kernel)")]
    public async Task A_bad_or_misplaced_kernel_option_is_a_one_line_error(string option, string value, string mode, string error)
    {
        using var temp = new TempDir();
        var (repo, config, repro) = await KernelJobInputsAsync(temp);
        // In command mode the kernel's own inputs would be refused first, as the options above are.
        string[] inputs = mode == "--kernel" ? ["--config", config, "--repro", repro] : [];

        var run = await CliHarness.InvokeAsync(["bisect", "--repo", repo.Path, "--bad", "main", mode, .. inputs,
            "--build", "true", "--test", "true", option, value, "--store", temp.Sub("s.db")]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(error, run.Error.Trim());
        Assert.False(File.Exists(temp.Sub("s.db")), "nothing is stored for a job with bad options");
    }

    [KernelFact]
    public async Task Accel_is_kept_in_the_job_so_that_resume_runs_its_vms_the_same_way()
    {
        using var temp = new TempDir();
        var (repo, config, repro) = await KernelJobInputsAsync(temp);
        var store = temp.Sub("s.db");

        // Not a kernel tree: the job stops at the first build, after the VMs were set up.
        var run = await CliHarness.InvokeAsync("bisect", "--kernel", "--accel", "tcg", "--repo", repo.Path, "--bad", "main",
            "--config", config, "--repro", repro, "--store", store);
        using var jobs = JobStore.Open(store);
        var id = Assert.Single(jobs.ListJobs()).Id;
        var resumed = await CliHarness.InvokeAsync("resume", id, "--store", store);

        Assert.Contains("VMs: using TCG (--accel tcg)", run.Output);
        // resume has no --accel of its own: the stored job's says how its VMs run.
        Assert.Contains("VMs: using TCG (--accel tcg)", resumed.Output);
        Assert.Contains("\"accel\":\"tcg\"", jobs.GetJob(id).SpecJson);
        // No --build-timeout: a kernel build may take 3 h (olddefconfig and bzImage together).
        Assert.Contains("\"build_timeout_seconds\":10800", jobs.GetJob(id).SpecJson);
    }

    [KernelFact]
    public async Task A_qemu_program_that_does_not_exist_is_a_one_line_error_before_anything_is_built()
    {
        using var temp = new TempDir();
        var (repo, config, repro) = await KernelJobInputsAsync(temp);
        var qemu = temp.Sub("no-such-qemu");

        var run = await CliHarness.InvokeAsync("bisect", "--kernel", "--qemu", qemu, "--repo", repo.Path, "--bad", "main",
            "--config", config, "--repro", repro, "--store", temp.Sub("s.db"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"culprit: {qemu} not found", run.Error.Trim());
        Assert.DoesNotContain("testing commit", run.Output);
    }

    /// <summary>A two-commit repository with a kernel config and a reproducer file: enough for a kernel job's setup checks.</summary>
    private static async Task<(ScriptedRepository Repo, string Config, string Repro)> KernelJobInputsAsync(TempDir temp)
    {
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 2, culprit: 1);
        var config = temp.Sub("k.config");
        var repro = temp.Sub("r.sh");
        await File.WriteAllTextAsync(config, "CONFIG_X=y\n");
        await File.WriteAllTextAsync(repro, "exit 0\n");
        return (repo, config, repro);
    }
}
