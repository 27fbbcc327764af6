using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>With --workers K a round tests up to K commits at once, each on its own tester: the same culprit in fewer rounds.</summary>
public sealed class ParallelRoundTests
{
    private const int Culprit = 37;

    /// <summary>Rounds of the bisection proper: each logs one <c>Bisecting:</c> line, whether it tests one commit or several.</summary>
    private static int Rounds(IReadOnlyList<string> log) => log.Count(l => l.StartsWith("Bisecting: ", StringComparison.Ordinal));

    private static JobSpec Spec(ScriptedWorld world, int workers) => new()
    {
        Repo = "", Bad = world.Hashes[^1], Good = world.Hashes[0], Strategy = "flaky", Runs = 6, Verify = false, Workers = workers, MaxRuns = 3000,
    };

    [Fact]
    public async Task Every_worker_s_tester_is_told_the_job_s_range_once_it_is_listed()
    {
        using var world = await ScriptedWorld.CreateAsync(40, (n, _) => n >= 17 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());

        await world.BisectAsync(Spec(world, 3));

        // The service's dispatchers place commits near their recent builds by it; the range is bad back to good, good excluded.
        Assert.Equal([39, 39, 39], world.RangesListed);
    }

    [Fact]
    public async Task Three_workers_find_the_same_culprit_as_one_in_fewer_rounds_when_every_run_shows_the_bug()
    {
        using var one = await ScriptedWorld.CreateAsync(100, (n, _) => n >= Culprit ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());
        using var three = await ScriptedWorld.CreateAsync(100, (n, _) => n >= Culprit ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());

        var (alone, aloneLog) = await one.BisectAsync(Spec(one, 1));
        var (round, roundLog) = await three.BisectAsync(Spec(three, 3));

        Assert.Equal(one.Hashes[Culprit], alone.Culprit?.Commit);
        Assert.Equal(three.Hashes[Culprit], round.Culprit?.Commit);
        Assert.True(Rounds(roundLog) < Rounds(aloneLog), $"{Rounds(roundLog)} rounds with 3 workers, {Rounds(aloneLog)} with 1");
        Assert.Contains(roundLog, l => l.StartsWith("testing 3 commits at once: ", StringComparison.Ordinal));
        Assert.DoesNotContain(aloneLog, l => l.Contains("commits at once", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Three_workers_find_the_same_culprit_as_one_in_fewer_rounds_when_the_bug_shows_in_half_the_runs()
    {
        using var one = await ScriptedWorld.CreateAsync(100, HalfTheRuns);
        using var three = await ScriptedWorld.CreateAsync(100, HalfTheRuns);

        var (alone, aloneLog) = await one.BisectAsync(Spec(one, 1));
        var (round, roundLog) = await three.BisectAsync(Spec(three, 3));

        Assert.Equal(one.Hashes[Culprit], alone.Culprit?.Commit);
        Assert.Equal(three.Hashes[Culprit], round.Culprit?.Commit);
        Assert.True(Rounds(roundLog) < Rounds(aloneLog), $"{Rounds(roundLog)} rounds with 3 workers, {Rounds(aloneLog)} with 1");
    }

    [Fact]
    public async Task Each_test_of_a_round_is_logged_as_one_block_ending_in_its_verdict()
    {
        using var world = await ScriptedWorld.CreateAsync(100, (n, _) => n >= Culprit ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());

        var (result, log) = await world.BisectAsync(Spec(world, 3));

        var start = log.ToList().FindIndex(l => l.StartsWith("testing 3 commits at once: ", StringComparison.Ordinal));
        Assert.True(start >= 0, "a round of three commits is logged");
        var commits = log[start]["testing 3 commits at once: ".Length..].Split(' ');
        Assert.Equal(3, commits.Distinct().Count());
        // The round's three blocks follow: [commit] subject, testing commit, runs, then its verdict, in the order they finished.
        var block = start + 1;
        foreach (var _ in commits)
        {
            var commit = log[block][1..41];
            Assert.Contains(commit, commits);
            Assert.Equal($"testing commit {commit}", log[block + 1]);
            var verdict = log.Skip(block).First(l => l.StartsWith("# git bisect ", StringComparison.Ordinal));
            Assert.Contains(commit, verdict);
            block = log.ToList().IndexOf(verdict, block) + 1;
            // A worker done with its test may build ahead for the next round: a line of its own between blocks.
            while (log[block].StartsWith("speculative build of ", StringComparison.Ordinal))
            {
                block++;
            }
        }
        Assert.Equal(world.Hashes[Culprit], result.Culprit?.Commit);
    }

    [Fact]
    public async Task Classic_with_three_workers_tests_the_top_of_gits_decision_tree_and_finds_gits_culprit_in_about_log4_rounds()
    {
        using var world = await ScriptedWorld.CreateAsync(100, (n, _) => n >= Culprit ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());
        using var other = await ScriptedWorld.CreateAsync(100, (n, _) => n >= Culprit ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());

        var (alone, aloneLog) = await world.BisectAsync(Spec(world, 1) with { Strategy = "classic" });
        var (three, threeLog) = await other.BisectAsync(Spec(other, 3) with { Strategy = "classic" });

        Assert.Equal(world.Hashes[Culprit], alone.Culprit?.Commit);
        Assert.Equal(other.Hashes[Culprit], three.Culprit?.Commit);
        // 99 candidates: git takes 7 steps; three commits a round cover two of its steps.
        var candidates = world.Hashes.Length - 1;
        Assert.True(Rounds(threeLog) <= Math.Ceiling(Math.Log(candidates, 4)) + 1, $"{Rounds(threeLog)} rounds with 3 workers, {Rounds(aloneLog)} with 1");
        Assert.Contains(threeLog, l => l.StartsWith("testing 3 commits at once: ", StringComparison.Ordinal));
        // Every commit git tests alone is tested, with the same verdict; the others are where git would go on other verdicts.
        var roundTests = three.Tested.Where(t => t.Phase == "bisect").Select(t => (other.NumberOf(t.Commit), t.Verdict)).ToList();
        Assert.All(alone.Tested.Where(t => t.Phase == "bisect"), t => Assert.Contains((world.NumberOf(t.Commit), t.Verdict), roundTests));
        Assert.Equal(roundTests.Count, roundTests.Distinct().Count());
    }

    [Fact]
    public async Task A_round_stopped_by_an_untestable_commit_keeps_the_others_outcomes_and_its_resume_tests_only_that_commit()
    {
        // Learn the first round's commits from a job that is not stopped.
        using var probe = await ScriptedWorld.CreateAsync(100, (n, _) => n >= Culprit ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());
        var (_, probeLog) = await probe.BisectAsync(Spec(probe, 3));
        var firstRound = probeLog.First(l => l.StartsWith("testing 3 commits at once: ", StringComparison.Ordinal))["testing 3 commits at once: ".Length..]
            .Split(' ').Select(probe.NumberOf).ToList();
        var broken = firstRound[1];
        // The machine cannot boot that one commit until it is mended.
        var mended = false;
        using var world = await ScriptedWorld.CreateAsync(100, (n, _) =>
            n == broken && !Volatile.Read(ref mended) ? RunOutcome.Infra("boot failed: can't ssh into the instance")
            : n >= Culprit ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());
        var id = await world.CreateAsync(Spec(world, 3));

        var stop = await Assert.ThrowsAsync<UntestableCommitException>(() => world.RunAsync(id));
        Assert.StartsWith($"could not test {world.Hashes[broken]}", stop.Message);
        var runsBefore = world.RunsDone.GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        Volatile.Write(ref mended, true);
        var (result, _) = await world.RunAsync(id);

        Assert.Equal(world.Hashes[Culprit], result.Culprit?.Commit);
        // The round's two stored outcomes were taken back, not run again; the untestable commit was tested anew.
        // (The strategy may retest one of them later, once it weighs it again: that is a test of its own.)
        var bisected = result.Tested.Where(t => t.Phase == "bisect").ToList();
        foreach (var n in firstRound.Where(n => n != broken))
        {
            var tests = bisected.Where(t => t.Commit == world.Hashes[n]).ToList();
            Assert.Equal(runsBefore[n], tests[0].Runs.Count);
            // Every run of it made is a run stored: none was made again for the outcome stored before the stop.
            Assert.Equal(world.RunsDone.Count(r => r == n), tests.Sum(t => t.Runs.Count));
        }
        Assert.Contains(bisected, t => t.Commit == world.Hashes[broken]);
    }

    [Fact]
    public async Task Classic_rounds_idle_workers_build_the_likely_next_commit_ahead_and_git_path_and_verdicts_are_kept()
    {
        using var world = await ScriptedWorld.CreateAsync(100, (n, _) => n >= Culprit ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());
        using var other = await ScriptedWorld.CreateAsync(100, (n, _) => n >= Culprit ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok());

        var (alone, _) = await world.BisectAsync(Spec(world, 1) with { Strategy = "classic" });
        var (two, twoLog) = await other.BisectAsync(Spec(other, 2) with { Strategy = "classic" });

        var roundTests = two.Tested.Select(t => (other.NumberOf(t.Commit), t.Verdict)).ToList();
        Assert.All(alone.Tested, t => Assert.Contains((world.NumberOf(t.Commit), t.Verdict), roundTests));
        Assert.Equal(other.Hashes[Culprit], two.Culprit?.Commit);
        var ahead = twoLog.Where(l => l.StartsWith("speculative build of ", StringComparison.Ordinal)).Select(l => other.NumberOf(l["speculative build of ".Length..])).ToList();
        Assert.NotEmpty(ahead);
        // A right guess is tested on the build made ahead: no commit is built twice.
        var tested = two.Tested.Select(t => other.NumberOf(t.Commit)).ToHashSet();
        Assert.Contains(ahead, tested.Contains);
        Assert.All(other.BuildsDone.GroupBy(n => n), g => Assert.Single(g));
        Assert.Equal(ahead.Count, two.Stats.SpeculativeBuilds);
    }

    [Fact]
    public async Task A_flaky_rounds_idle_worker_builds_the_next_rounds_likely_first_commit_and_the_builds_are_counted()
    {
        using var one = await ScriptedWorld.CreateAsync(100, HalfTheRuns);
        using var two = await ScriptedWorld.CreateAsync(100, HalfTheRuns);

        var (alone, _) = await one.BisectAsync(Spec(one, 1));
        var (round, roundLog) = await two.BisectAsync(Spec(two, 2));

        Assert.Equal(one.Hashes[Culprit], alone.Culprit?.Commit);
        Assert.Equal(two.Hashes[Culprit], round.Culprit?.Commit);
        var ahead = roundLog.Count(l => l.StartsWith("speculative build of ", StringComparison.Ordinal));
        Assert.True(ahead > 0, "a worker done with its test builds ahead while the round's other test runs");
        var stats = round.Stats;
        Assert.Equal(ahead, stats.SpeculativeBuilds);
        Assert.True(stats.SpeculativeBuildsUsed > 0, "some speculative build is tested");
        Assert.Equal(stats.SpeculativeBuilds, stats.SpeculativeBuildsUsed + stats.SpeculativeBuildsWasted);
        // Every build made counts, wasted ones too, and so does their time (one second each here).
        Assert.Equal(two.BuildsDone.Count, stats.Builds);
        Assert.Equal(two.BuildsDone.Count, stats.BuildSeconds);
        Assert.Contains($"speculative builds: {stats.SpeculativeBuilds} ({stats.SpeculativeBuildsUsed} used, {stats.SpeculativeBuildsWasted} wasted)", roundLog);
    }

    [Theory]
    [InlineData("flaky")]
    [InlineData("classic")]
    public async Task A_build_made_ahead_never_runs_beside_a_build_a_test_waits_for_when_the_workers_share_the_machine(string strategy)
    {
        using var world = await ScriptedWorld.CreateAsync(100, HalfTheRuns);
        world.BuildTime = TimeSpan.FromMilliseconds(20);

        var (result, log) = await world.BisectAsync(Spec(world, 2) with { Strategy = strategy });

        Assert.Equal(world.Hashes[Culprit], result.Culprit?.Commit);
        // No commit is built twice: a commit named in a speculative build line was built ahead, every other commit for its test.
        var ahead = log.Where(l => l.StartsWith("speculative build of ", StringComparison.Ordinal)).Select(l => world.NumberOf(l["speculative build of ".Length..])).ToHashSet();
        Assert.NotEmpty(ahead);
        var underway = new HashSet<int>();
        foreach (var (commit, start) in world.BuildEvents)
        {
            if (start)
            {
                Assert.True(ahead.Contains(commit) ? !underway.Any(c => !ahead.Contains(c)) : !underway.Any(ahead.Contains),
                    $"build of {commit} started beside {string.Join(", ", underway)} (built ahead: {string.Join(", ", ahead)})");
                underway.Add(commit);
            }
            else
            {
                underway.Remove(commit);
            }
        }
    }

    /// <summary>Commits from the culprit on crash in about half their runs (a fixed pattern per commit and run).</summary>
    private static RunOutcome HalfTheRuns(int n, int run) =>
        n >= Culprit && (n * 7919 + run * 104729) % 10 < 5 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok();
}
