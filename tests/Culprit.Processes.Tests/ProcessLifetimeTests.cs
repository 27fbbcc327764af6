using System.Diagnostics;

namespace Culprit.Processes.Tests;

/// <summary>A run ends when its process exits, and nothing it started outlives it.</summary>
public sealed class ProcessLifetimeTests
{
    [Fact]
    public async Task A_run_ends_when_its_process_exits_even_while_a_background_child_holds_its_output()
    {
        var watch = Stopwatch.StartNew();
        var result = await ProcessRunner.RunAsync(ProcessSpec.Shell("echo before; (sleep 30 &); exit 0") with { Timeout = TimeSpan.FromSeconds(20) });

        Assert.False(result.TimedOut);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("before", result.Output);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the run took {watch.Elapsed}");
    }

    [Fact]
    public async Task Output_written_just_before_exit_is_kept()
    {
        var result = await ProcessRunner.RunAsync(ProcessSpec.Shell("seq 1 20000; echo last >&2; exit 3"));

        Assert.Equal(3, result.ExitCode);
        Assert.EndsWith("20000\n", result.StandardOutput);
        Assert.Equal("last\n", result.StandardError);
    }

    [Fact]
    public async Task Processes_a_run_leaves_behind_are_killed_when_it_ends_even_in_their_own_session()
    {
        // Arguments no other test uses, so the processes can be found by their command line.
        var setsid = ProcessList.UniqueSleep();
        var nohup = ProcessList.UniqueSleep();
        var background = ProcessList.UniqueSleep();
        var detached = ProcessList.UniqueSleep();
        var command = $"setsid sleep {setsid} & nohup sleep {nohup} >/dev/null 2>&1 & (sleep {background} &); " +
                      $"(setsid sh -c 'sleep {detached} & exit 0' >/dev/null 2>&1 &); sleep 0.3; exit 0";

        var result = await ProcessRunner.RunAsync(ProcessSpec.Shell(command) with { Timeout = TimeSpan.FromSeconds(20) });

        Assert.Equal(0, result.ExitCode);
        foreach (var seconds in new[] { setsid, nohup, background, detached })
        {
            Assert.Empty(ProcessList.Running("sleep", seconds));
        }
    }

    [Fact]
    public async Task A_child_still_starting_when_its_run_ends_is_killed_too()
    {
        // The run exits at once, so Culprit meets the detached child while it is still execing
        // setsid and then sleep (CI saw one survive a build). Both runners, many times over.
        var left = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var seconds = ProcessList.UniqueSleep();
            var command = $"(setsid sleep {seconds} >/dev/null 2>&1 &); exit 0";
            var spec = ProcessSpec.Shell(command) with { Timeout = TimeSpan.FromSeconds(20) };
            var result = i % 2 == 0 ? await ProcessRunner.RunAsync(spec) : await ProcessRunner.StreamLinesAsync(spec, (string _) => { });
            Assert.Equal(0, result.ExitCode);
            if (ProcessList.Running("sleep", seconds).Count > 0)
            {
                left.Add(seconds);
            }
        }
        Assert.Empty(left);
    }

    [Fact]
    public async Task A_child_that_cleared_its_environment_does_not_hold_the_run_as_one_in_the_middle_of_an_exec_would()
    {
        // An env -i child carries no mark: it is spared (the CLI's exit kills it), and since its
        // arguments show it is no process caught mid-exec, the run does not wait for it to change.
        var seconds = ProcessList.UniqueSleep();
        var watch = Stopwatch.StartNew();
        try
        {
            var result = await ProcessRunner.RunAsync(ProcessSpec.Shell($"(env -i sleep {seconds} >/dev/null 2>&1 &); sleep 0.2; exit 0") with { Timeout = TimeSpan.FromSeconds(30) });

            Assert.Equal(0, result.ExitCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the run took {watch.Elapsed}");
            Assert.NotEmpty(ProcessList.Running("sleep", seconds));
        }
        finally
        {
            foreach (var pid in ProcessList.Running("sleep", seconds))
            {
                try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
            }
        }
    }

    [Fact]
    public async Task A_timed_out_run_is_killed_with_everything_it_started()
    {
        var setsid = ProcessList.UniqueSleep();
        var result = await ProcessRunner.RunAsync(ProcessSpec.Shell($"setsid sleep {setsid} & sleep 60") with { Timeout = TimeSpan.FromSeconds(1) });

        Assert.True(result.TimedOut);
        Assert.Empty(ProcessList.Running("sleep", setsid));
    }

    [Fact]
    public async Task A_cancelled_run_is_killed_with_everything_it_started()
    {
        var setsid = ProcessList.UniqueSleep();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ProcessRunner.RunAsync(ProcessSpec.Shell($"setsid sleep {setsid} & sleep 60") with { Timeout = TimeSpan.FromSeconds(30) }, cancel.Token));

        Assert.Empty(ProcessList.Running("sleep", setsid));
    }

    [Fact]
    public async Task Orphans_that_exit_during_a_run_do_not_stay_as_zombies()
    {
        using var temp = new TempDir();
        // A program name no other test uses, to tell this test's zombies from others'.
        var name = "zomb" + Guid.NewGuid().ToString("N")[..8];
        var program = temp.Sub(name);
        File.CreateSymbolicLink(program, "/bin/sleep");

        var result = await ProcessRunner.RunAsync(ProcessSpec.Shell($"('{program}' 0.1 &); sleep 0.6; exit 0"));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(ProcessList.ZombieChildren(name));
    }
}
