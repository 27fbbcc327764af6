using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>
/// A flaky job stops a bisection commit's runs at the bug's first crash (the strategy's settling
/// titles): the crash already said "bad", the remaining runs would cost machine time for nothing.
/// </summary>
public sealed class EarlyStopTests
{
    private const int Culprit = 37;

    /// <summary>The bug shows in about half the runs of the commits that have it.</summary>
    private static RunOutcome HalfTheRuns(int n, int run) =>
        n >= Culprit && (n * 7919 + run * 104729) % 10 < 5 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok();

    private static JobSpec Spec(ScriptedWorld world, int workers) => new()
    {
        Repo = "", Bad = world.Hashes[^1], Good = world.Hashes[0], Strategy = "flaky", Runs = 6, Verify = false, Workers = workers, MaxRuns = 3000,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_bisection_commits_runs_stop_at_the_bugs_first_crash_and_every_run_made_is_stored(int workers)
    {
        using var world = await ScriptedWorld.CreateAsync(100, HalfTheRuns);

        var (result, log) = await world.BisectAsync(Spec(world, workers));

        Assert.Equal(world.Hashes[Culprit], result.Culprit?.Commit);
        // The bisection's tests as logged, each ending in its verdict (a round logs its tests one block each).
        var blocks = new List<List<string>>();
        var block = new List<string>();
        foreach (var line in log.SkipWhile(l => !l.StartsWith("# git bisect start ", StringComparison.Ordinal)).Skip(1))
        {
            block.Add(line);
            if (line.StartsWith("# git bisect ", StringComparison.Ordinal))
            {
                blocks.Add(block);
                block = [];
            }
        }
        // The first tests come before the strategy is sure which titles are the bug (bug probability
        // below 0.99 after the bad commit alone): they make every run. From the first stopped test on,
        // each test that showed the bug ended at its first crash: one crash, its last run.
        var settledFrom = blocks.FindIndex(b => b.Any(l => l.StartsWith("stopped after ", StringComparison.Ordinal)));
        Assert.True(settledFrom >= 0, "a test stopped at the bug's crash");
        var crashed = blocks.Skip(settledFrom).Where(b => b.Any(l => l.Contains("crashed: BUG: bad thing", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(crashed);
        Assert.All(crashed, b =>
        {
            var runs = b.Where(l => l.StartsWith("run #", StringComparison.Ordinal) || l.StartsWith("all runs: ", StringComparison.Ordinal)).ToList();
            Assert.Single(runs, l => l.Contains("crashed: ", StringComparison.Ordinal));
            Assert.Contains("crashed: ", runs[^1]);
        });
        Assert.Contains(log, l => l.StartsWith("stopped after ", StringComparison.Ordinal) && l.EndsWith(" runs: the bug's crash settles the commit", StringComparison.Ordinal));
        // No run is made and dropped: the runs made are the runs stored.
        Assert.Equal(world.RunsDone.Count, result.Tested.Where(t => t.ReusedFrom is null).Sum(t => t.Runs.Count));
    }
}
