using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;

namespace Culprit.Core.Tests.Flaky;

/// <summary>Small hand-made ranges and a scripted tester for the flaky strategy's tests.</summary>
internal static class FlakyTestWorld
{
    public const string Bug = "KASAN: use-after-free Read in tcp_close";
    public const string BugAlt = "KASAN: use-after-free in tcp_close";
    public const string Other = "WARNING in ext4_evict";

    /// <summary>A linear range c{n-1} (oldest) .. c0 (the bad commit), parents outside the range for the oldest.</summary>
    public static CommitGraph Linear(int commits) =>
        new(Enumerable.Range(0, commits).Select(i => ($"c{i}", (IReadOnlyList<string>)[i + 1 < commits ? $"c{i + 1}" : "good"])));

    public static CommitOutcome Crashes(string commit, int crashes, int oks, string title = Bug, IReadOnlyList<string>? alts = null) =>
        new(commit, true,
            [.. Enumerable.Range(0, crashes).Select(_ => RunOutcome.Crash(title, altTitles: alts ?? [BugAlt], seconds: 60)),
             .. Enumerable.Range(0, oks).Select(_ => RunOutcome.Ok(300))],
            BuildSeconds: 600, TestSeconds: 60 * crashes + 300 * oks);

    /// <summary>
    /// Drives the strategy to the end against a world where commits with index ≤ <paramref name="culprit"/>
    /// have the bug, which shows in each run with chance <paramref name="reproChance"/>, drawn at random
    /// from <paramref name="seed"/> (so a test of a commit with the bug can come out all clean);
    /// with <paramref name="unrelatedChance"/>, a run on any commit that did not show the bug crashes
    /// with the unrelated <see cref="Other"/> with that chance. With <paramref name="fix"/> the culprit
    /// fixed the bug: the commits with index ≤ culprit are the ones without it, and the first test is
    /// of the crashing parent of the range's oldest commit ("good"), then of c0.
    /// </summary>
    public static (BisectionResult Result, List<CommitOutcome> Outcomes) Drive(
        FlakyStrategy strategy, CommitGraph graph, int culprit, double reproChance = 1, int seed = 1, ISet<int>? broken = null,
        int firstRuns = 10, double unrelatedChance = 0, bool fix = false)
    {
        var outcomes = new List<CommitOutcome>();
        var random = new Random(seed);
        CommitOutcome Test(string commit, int runs)
        {
            var index = graph.IndexOf(commit);
            if (broken?.Contains(index) == true)
            {
                return CommitOutcome.BuildFailed(commit, "make: *** Error 2", 300);
            }
            var list = new List<RunOutcome>();
            for (var r = 0; r < runs; r++)
            {
                var hasBug = fix ? index < 0 || index > culprit : index <= culprit;
                if (hasBug && random.NextDouble() < reproChance)
                {
                    list.Add(RunOutcome.Crash(Bug, altTitles: [BugAlt], seconds: 60));
                }
                else if (random.NextDouble() < unrelatedChance)
                {
                    list.Add(RunOutcome.Crash(Other, seconds: 60));
                }
                else
                {
                    list.Add(RunOutcome.Ok(300));
                }
            }
            return new CommitOutcome(commit, true, list, BuildSeconds: 600, TestSeconds: list.Sum(r => r.Seconds));
        }

        if (fix)
        {
            // As a job does: the crashing end is tried twice more, with double the runs, until it crashes.
            for (var attempt = 0; attempt <= 2; attempt++)
            {
                var crashing = Test("good", firstRuns << attempt);
                outcomes.Add(crashing);
                strategy.Record(crashing);
                if (crashing.Runs.Any(r => r.Result == RunResult.Crashed))
                {
                    break;
                }
            }
        }
        var first = Test(graph.Commits[0], firstRuns);
        outcomes.Add(first);
        strategy.Record(first);
        for (var step = 0; step < 500; step++)
        {
            switch (strategy.Next())
            {
                case Finished finished:
                    return (finished.Result, outcomes);
                case TestCommit test:
                    var outcome = Test(test.Commit, test.Runs);
                    outcomes.Add(outcome);
                    strategy.Record(outcome);
                    break;
            }
        }
        throw new InvalidOperationException("the strategy did not finish");
    }
}
