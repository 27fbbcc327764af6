using System.Globalization;
using Culprit.Processes;
using Culprit.Store;

namespace Culprit.Cli.Tests;

/// <summary>SIGINT or SIGTERM to a running job: its commands are killed, it is stored as stopped, and resume finishes it.</summary>
public sealed class StopSignalTests
{
    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task A_signal_kills_the_running_commands_stores_the_job_as_stopped_and_resume_finishes_it(string signal, int exitCode)
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 30, culprit: 17);
        var store = temp.Sub("s.db");
        // Durations no other test uses, so this job's processes can be found by command line.
        var slow = "0.5" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var detached = ProcessList.UniqueSleep();
        var test = $"setsid sleep {detached} >/dev/null 2>&1 & sleep {slow}; " + ScriptedRepository.Test;
        int? pid = null;
        var cli = CliHarness.Process("bisect", "--strategy", "classic", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", test, "--runs", "4", "--store", store);
        // Culprit started as a script's background job inherits SIGINT ignored and keeps ignoring it, as Unix
        // programs do (the .NET runtime does not handle a signal ignored at start); a suite started that way
        // (`.ci/run &`) saw exit 0 instead of 130. The user this test stands for sends SIGINT to a Culprit that
        // takes it: env (coreutils) starts it with both signals at their defaults.
        var job = ProcessRunner.RunAsync(ProcessSpec.Of("env", ["--default-signal=INT,TERM", cli.FileName, .. cli.Arguments]) with
        {
            Timeout = TimeSpan.FromMinutes(5),
            OnStarted = started => pid = started,
        });
        for (var i = 0; i < 600 && CliHarness.CountOutcomes(store) < 2 && !job.IsCompleted; i++)
        {
            await Task.Delay(100);
        }
        Assert.False(job.IsCompleted, "the job should still be running when signalled: " + (job.IsCompleted ? (await job).Output : ""));
        // Signal in the middle of a test run, when a test process is there to be killed. (4 runs a commit: with
        // verification sized by the repro chance the job ends sooner, and a signal after its end is no stop.)
        for (var i = 0; i < 100 && ProcessList.Running("sleep", slow).Count == 0; i++)
        {
            await Task.Delay(20);
        }

        await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("kill", $"-{signal}", pid!.Value.ToString(CultureInfo.InvariantCulture)));
        var stopped = await job;

        Assert.Equal(exitCode, stopped.ExitCode);
        Assert.Empty(ProcessList.Running("sleep", slow));
        Assert.Empty(ProcessList.Running("sleep", detached));
        string id;
        using (var jobs = JobStore.Open(store))
        {
            var record = Assert.Single(jobs.ListJobs());
            Assert.Equal("stopped", record.State);
            id = record.Id;
        }
        Assert.Contains($"stopped by SIG{signal}; resume with: culprit resume {id}", stopped.Output);
        var show = await CliHarness.InvokeAsync("show", id, "--store", store);
        Assert.Contains($"job {id} is stopped", show.Output);

        var resumed = await CliHarness.InvokeAsync("resume", id, "--store", store);

        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains($"first bad commit: {repo.Hashes[17]}", resumed.Output);
        using (var jobs = JobStore.Open(store))
        {
            Assert.Equal("finished", jobs.GetJob(id).State);
        }
    }
}
