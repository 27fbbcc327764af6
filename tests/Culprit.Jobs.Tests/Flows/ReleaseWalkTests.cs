using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>Without --good, releases are walked back newest first and judged by the job's strategy.</summary>
public sealed class ReleaseWalkTests
{
    private static readonly Dictionary<int, string> Tags = new() { [3] = "v1.0", [10] = "v2.0", [20] = "v3.0" };

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task The_range_starts_at_the_newest_release_that_crashed(string strategy)
    {
        using var world = await ScriptedWorld.CreateAsync(30, (n, _) => n >= 15 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok(), Tags);
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[29], Strategy = strategy, Runs = 3, Verify = false });

        Assert.Equal(world.Hashes[15], result.Culprit?.Commit);
        Assert.Contains($"# git bisect start {world.Hashes[20]} {world.Hashes[10]}", log);
        // Nothing between v3.0 and the bad commit is built: v3.0 crashed, so the culprit is older.
        var bisected = result.Tested.Where(t => t.Phase == "bisect").Select(t => world.NumberOf(t.Commit)).ToList();
        Assert.NotEmpty(bisected);
        Assert.All(bisected, n => Assert.InRange(n, 11, 19));
    }

    [Fact]
    public async Task A_clean_release_is_not_good_after_a_few_runs_when_the_reproducer_is_flaky()
    {
        // The bug (from commit 15) shows in about one run in ten.
        var random = new Random(5);
        using var world = await ScriptedWorld.CreateAsync(30,
            (n, _) => n >= 15 && random.NextDouble() < 0.12 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok(), Tags);
        var (result, log) = await world.BisectAsync(new JobSpec
        {
            Repo = "", Bad = world.Hashes[29], Strategy = "flaky", Runs = 10, Verify = false, MaxRuns = 3000,
        });

        var releaseRuns = result.Tested.Where(t => t.Phase == "release" && t.Commit == world.Hashes[10]).Sum(t => t.Runs.Count);
        Assert.True(releaseRuns > 10, $"v2.0 was judged on {releaseRuns} runs");
        Assert.Contains(log, l => l.Contains("clean runs do not rule the bug out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_title_the_crashing_commit_missed_counts_as_the_bugs_once_a_release_with_the_bug_showed_it()
    {
        // The bug (from commit 5) crashes with two titles: "WARNING in other_path" in 4 runs of 10, "BUG: bad thing" in 1.
        // The crashing commit's runs happened to show only the rare one, v3.0's both, and v2.0's only the frequent one.
        // Judged by the crashing commit alone, v2.0's crashes are another bug's and, the rare title never showing, it is
        // good; with v3.0's runs they are the bug's, and another bug that crashed that often would be a rare sight.
        static RunOutcome Bug(int i) => (i % 10) switch
        {
            0 => RunOutcome.Crash("BUG: bad thing"),
            1 or 4 or 7 or 9 => RunOutcome.Crash("WARNING in other_path"),
            _ => RunOutcome.Ok(),
        };
        using var world = await ScriptedWorld.CreateAsync(30, (n, i) => n switch
        {
            < 5 => RunOutcome.Ok(),
            29 => i % 10 is 0 or 5 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok(),
            10 => i % 10 == 0 ? RunOutcome.Ok() : Bug(i),
            _ => Bug(i),
        }, Tags);
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[29], Strategy = "flaky", Runs = 10, Verify = false });

        Assert.Contains($"# git bisect start {world.Hashes[20]} {world.Hashes[3]}", log);
        Assert.Equal(world.Hashes[5], result.Culprit?.Commit);
    }

    [Fact]
    public async Task The_classic_strategy_takes_a_release_with_one_clean_test_as_good()
    {
        using var world = await ScriptedWorld.CreateAsync(30, (n, _) => n >= 15 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok(), Tags);
        var (result, _) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[29], Strategy = "classic", Runs = 2, Verify = false });

        Assert.Equal(2, result.Tested.Where(t => t.Phase == "release" && t.Commit == world.Hashes[10]).Sum(t => t.Runs.Count));
    }
}
