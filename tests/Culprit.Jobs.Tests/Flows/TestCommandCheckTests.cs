using Culprit.Core.Domain;
using Culprit.Jobs.Testers;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>
/// git bisect run's double check of exit statuses 126 and 127: a test command that cannot run on the
/// crashing commit is run on the good commit (or the first release walked), and the job stops there
/// when it fails the same way, instead of bisecting to the range's first commit.
/// </summary>
public sealed class TestCommandCheckTests
{
    private static readonly Dictionary<int, string> Tags = new() { [3] = "v1.0", [10] = "v2.0", [20] = "v3.0" };

    private static RunOutcome NotFound(int n, int _) => RunOutcome.Crash(CommandTester.ExitStatusTitle(127), "running the test\n/bin/sh: 1: ./t.sh: not found\n");

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task A_test_command_that_runs_nowhere_stops_the_job_at_the_good_commit(string strategy)
    {
        using var world = await ScriptedWorld.CreateAsync(30, NotFound);
        var id = await world.CreateAsync(new JobSpec { Repo = "", Bad = world.Hashes[29], Good = world.Hashes[0], Strategy = strategy, Runs = 3 });

        var error = await Assert.ThrowsAsync<JobFailedException>(() => world.RunAsync(id));

        Assert.Equal($"the test command cannot run: it exits 127 (command not found) on the bad commit and on the good commit {world.Hashes[0]} too (/bin/sh: 1: ./t.sh: not found)", error.Message);
        // The bad commit and the good one's single check run: nothing is bisected.
        Assert.Equal([29, 0], world.BuildsDone);
        Assert.Equal(4, world.RunsDone.Count);
        // A resume says the same from the stored outcomes, without testing again.
        var again = await Assert.ThrowsAsync<JobFailedException>(() => world.RunAsync(id));
        Assert.Equal(error.Message, again.Message);
        Assert.Equal(4, world.RunsDone.Count);
    }

    [Fact]
    public async Task A_fix_bisection_checks_on_the_fixed_commit()
    {
        using var world = await ScriptedWorld.CreateAsync(30, NotFound);
        var id = await world.CreateAsync(new JobSpec { Repo = "", Bad = world.Hashes[0], Good = world.Hashes[29], Direction = Direction.Fix, Strategy = "flaky", Runs = 2 });

        var error = await Assert.ThrowsAsync<JobFailedException>(() => world.RunAsync(id));

        Assert.Equal($"the test command cannot run: it exits 127 (command not found) on the bad commit and on the fixed commit {world.Hashes[29]} too (/bin/sh: 1: ./t.sh: not found)", error.Message);
        Assert.Equal([0, 29], world.BuildsDone);
    }

    [Fact]
    public async Task Without_a_good_commit_the_first_release_walked_is_the_check()
    {
        using var world = await ScriptedWorld.CreateAsync(30, (n, r) => RunOutcome.Crash(CommandTester.ExitStatusTitle(126), "/bin/sh: 1: ./t.sh: Permission denied"), Tags);
        var id = await world.CreateAsync(new JobSpec { Repo = "", Bad = world.Hashes[29], Strategy = "flaky", Runs = 2 });

        var error = await Assert.ThrowsAsync<JobFailedException>(() => world.RunAsync(id));

        Assert.Equal($"the test command cannot run: it exits 126 (the command cannot be executed) on the bad commit and on the good commit {world.Hashes[20]} too (/bin/sh: 1: ./t.sh: Permission denied)", error.Message);
        Assert.Equal([29, 20], world.BuildsDone);
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task A_test_that_exits_127_only_with_the_bug_bisects_as_git_does(string strategy)
    {
        // git counts 127 as bad once the good revision shows the command runs.
        using var world = await ScriptedWorld.CreateAsync(30, (n, r) => n >= 17 ? NotFound(n, r) : RunOutcome.Ok());
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[29], Good = world.Hashes[0], Strategy = strategy, Runs = 3, Verify = false });

        Assert.Equal(world.Hashes[17], result.Culprit?.Commit);
        Assert.Contains($"every run of {world.Hashes[29]} exited 127 (command not found): checking that the test command runs on the good commit {world.Hashes[0]}", log);
        Assert.Single(result.Tested, t => t.Phase == "check");
    }

    [Fact]
    public async Task Other_exit_statuses_are_crashes_with_no_check()
    {
        using var world = await ScriptedWorld.CreateAsync(30, (n, r) => n >= 17 ? RunOutcome.Crash(CommandTester.ExitStatusTitle(1)) : RunOutcome.Ok());
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[29], Good = world.Hashes[0], Strategy = "flaky", Runs = 3, Verify = false });

        Assert.Equal(world.Hashes[17], result.Culprit?.Commit);
        Assert.DoesNotContain(result.Tested, t => t.Phase == "check");
        Assert.DoesNotContain(log, l => l.Contains("checking that the test command runs", StringComparison.Ordinal));
    }
}
