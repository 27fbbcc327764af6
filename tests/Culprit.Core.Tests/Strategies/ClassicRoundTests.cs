using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Core.Strategies;

namespace Culprit.Core.Tests.Strategies;

/// <summary>
/// The classic strategy with K workers: rounds from the top of git's decision tree, in fewer rounds,
/// with git's answer whatever the order the outcomes arrive in.
/// </summary>
public sealed class ClassicRoundTests
{
    /// <summary>A linear history c0 (oldest, in the range) … c{n-1} (bad), newest first as rev-list gives it.</summary>
    private static CommitGraph Linear(int n) =>
        new(Enumerable.Range(0, n).Reverse().Select(i => ($"c{i}", (IReadOnlyList<string>)(i == 0 ? ["base"] : [$"c{i - 1}"]))));

    /// <summary>
    /// A merge-heavy history as the git-equivalence repositories are made (<see cref="RandomHistory"/>),
    /// with a random culprit and broken builds.
    /// </summary>
    private sealed record History(CommitGraph Graph, HashSet<string> Bad, HashSet<string> Broken, string Culprit);

    private static History Generate(int seed)
    {
        var rng = new Random(seed);
        var count = 8 + rng.Next(seed % 4 == 0 ? 250 : 90);
        var mergeRate = (seed % 3) switch { 0 => 0.0, 1 => 0.12, _ => 0.3 };
        var brokenRate = (seed % 5) switch { 0 => 0.0, 1 => 0.05, 2 => 0.1, 3 => 0.2, _ => 0.35 };
        var made = RandomHistory.Generate(rng, count, mergeRate, brokenRate);
        var n = made.Count;
        // Commit 0 is the good end (outside the range); the range is everything after it, newest first.
        var graph = new CommitGraph(Enumerable.Range(1, n - 1).Reverse().Select(i => ($"h{i}", (IReadOnlyList<string>)made.Parents[i].Select(p => $"h{p}").ToList())));
        var broken = made.Broken.Select(i => $"h{i}").ToHashSet();
        return new History(graph, Enumerable.Range(0, n).Where(i => made.HasBug[i]).Select(i => $"h{i}").ToHashSet(), broken, $"h{made.Culprit}");
    }

    private static CommitOutcome Outcome(History h, string commit) =>
        h.Broken.Contains(commit) ? CommitOutcome.BuildFailed(commit, "broken")
        : new CommitOutcome(commit, true, [h.Bad.Contains(commit) ? RunOutcome.Crash("BUG: x") : RunOutcome.Ok()]);

    private static CommitOutcome Outcome(string commit, bool bad) =>
        new(commit, true, [bad ? RunOutcome.Crash("BUG: x") : RunOutcome.Ok()]);

    /// <summary>Runs a bisection with <paramref name="workers"/>; each round's outcomes are recorded in the order <paramref name="order"/> gives.</summary>
    private static (BisectionResult Result, List<List<string>> Rounds) Bisect(
        CommitGraph graph, Func<string, CommitOutcome> test, int workers, Func<List<TestCommit>, IEnumerable<TestCommit>>? order = null)
    {
        var strategy = new ClassicStrategy(graph, AnyCrashPolicy.Instance, runs: 1);
        strategy.Record(test(graph.Commits[0]));
        var rounds = new List<List<string>>();
        for (var guard = 0; guard < 10_000; guard++)
        {
            switch (strategy.NextRound(workers))
            {
                case Finished f:
                    return (f.Result, rounds);
                case TestRound r:
                    Assert.InRange(r.Tests.Count, 1, workers);
                    Assert.Equal(r.Tests.Count, r.Tests.Select(t => t.Commit).Distinct().Count());
                    rounds.Add(r.Tests.Select(t => t.Commit).ToList());
                    foreach (var t in (order ?? (x => x))(r.Tests.ToList()))
                    {
                        strategy.Record(test(t.Commit));
                    }
                    break;
            }
        }
        throw new InvalidOperationException("the strategy did not finish");
    }

    [Fact]
    public void One_worker_is_gits_path_one_commit_a_round()
    {
        var h = Generate(5);
        var single = new ClassicStrategy(h.Graph, AnyCrashPolicy.Instance, runs: 1);
        var round = new ClassicStrategy(h.Graph, AnyCrashPolicy.Instance, runs: 1);
        single.Record(Outcome(h, h.Graph.Commits[0]));
        round.Record(Outcome(h, h.Graph.Commits[0]));
        while (single.Next() is TestCommit t)
        {
            Assert.Equal(t, Assert.Single(Assert.IsType<TestRound>(round.NextRound(1)).Tests));
            single.Record(Outcome(h, t.Commit));
            round.Record(Outcome(h, t.Commit));
        }
        Assert.IsType<Finished>(round.NextRound(1));
    }

    [Theory]
    [InlineData(100, 37)]
    [InlineData(1000, 313)]
    [InlineData(1000, 0)]
    [InlineData(4096, 4095)]
    public void Three_workers_find_the_culprit_in_about_log4_rounds(int n, int culprit)
    {
        var (alone, aloneRounds) = Bisect(Linear(n), c => Outcome(c, int.Parse(c[1..]) >= culprit), 1);
        var (three, rounds) = Bisect(Linear(n), c => Outcome(c, int.Parse(c[1..]) >= culprit), 3);

        Assert.Equal($"c{culprit}", alone.Culprit);
        Assert.Equal($"c{culprit}", three.Culprit);
        Assert.True(rounds.Count <= Math.Ceiling(Math.Log(n, 4)) + 1, $"{rounds.Count} rounds of 3 for {n} commits ({aloneRounds.Count} alone)");
        // Every round but the last two (where few candidates are left) tests three commits.
        Assert.All(rounds.SkipLast(2), r => Assert.Equal(3, r.Count));
    }

    [Fact]
    public void Every_commit_a_round_tests_is_one_git_tests_on_some_verdict_path_and_gits_own_path_is_among_them()
    {
        for (var seed = 0; seed < 60; seed++)
        {
            var h = Generate(seed);
            var gitPath = Bisect(h.Graph, c => Outcome(h, c), 1).Rounds.Select(r => r[0]).ToList();
            var rounds = Bisect(h.Graph, c => Outcome(h, c), 3).Rounds;
            var tested = rounds.SelectMany(r => r).ToList();
            // Every commit of git's path is tested by some round (one a round tested off git's path
            // at the time may be where git goes after a skip: its outcome is taken, not tested again).
            Assert.True(gitPath.All(tested.Contains), $"seed {seed}: git's path {string.Join(",", gitPath)} not within the rounds' {string.Join(",", tested)}");
            Assert.Equal(tested.Count, tested.Distinct().Count());
            // Each round takes at least one of git's steps.
            Assert.True(rounds.Count <= gitPath.Count, $"seed {seed}: {rounds.Count} rounds for git's {gitPath.Count} steps");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Rounds_give_gits_answer_on_merge_heavy_histories_with_broken_builds(int workers)
    {
        var failures = new List<string>();
        var inconclusive = 0;
        for (var seed = 0; seed < 300; seed++)
        {
            var h = Generate(seed);
            var (alone, aloneRounds) = Bisect(h.Graph, c => Outcome(h, c), 1);
            var (round, rounds) = Bisect(h.Graph, c => Outcome(h, c), workers);
            inconclusive += alone.Kind == ResultKind.Inconclusive ? 1 : 0;
            if (alone.Kind != round.Kind || alone.Culprit != round.Culprit || !alone.Candidates.Order().SequenceEqual(round.Candidates.Order()))
            {
                failures.Add($"seed {seed}: one worker {alone.Kind} {alone.Culprit} [{string.Join(",", alone.Candidates)}], " +
                    $"{workers} workers {round.Kind} {round.Culprit} [{string.Join(",", round.Candidates)}]");
            }
            else if (rounds.Count > aloneRounds.Count)
            {
                failures.Add($"seed {seed}: {rounds.Count} rounds with {workers} workers, {aloneRounds.Count} with one");
            }
        }
        Assert.True(inconclusive > 10, $"only {inconclusive} inconclusive cases: skips are not exercised");
        Assert.Empty(failures);
    }

    [Fact]
    public void A_rounds_outcomes_recorded_in_any_order_leave_the_same_state()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var h = Generate(seed);
            var forward = Bisect(h.Graph, c => Outcome(h, c), 3);
            var backward = Bisect(h.Graph, c => Outcome(h, c), 3, r => Enumerable.Reverse(r));
            var middleFirst = Bisect(h.Graph, c => Outcome(h, c), 3, r => r.Skip(1).Append(r[0]));
            Assert.Equal(forward.Rounds, backward.Rounds);
            Assert.Equal(forward.Rounds, middleFirst.Rounds);
            Assert.Equal(Answer(forward.Result), Answer(backward.Result));
            Assert.Equal(Answer(forward.Result), Answer(middleFirst.Result));
        }
    }

    private static string Answer(BisectionResult r) => $"{r.Kind} {r.Culprit} {string.Join(",", r.Candidates.Order(StringComparer.Ordinal))}";

    [Fact]
    public void A_skipped_commit_in_a_round_is_gits_skip()
    {
        // c9 cannot be built and sits right before the culprit c10: git says either may be first bad.
        CommitOutcome Test(string c)
        {
            var i = int.Parse(c[1..]);
            return i == 9 ? CommitOutcome.BuildFailed(c, "broken") : Outcome(c, i >= 10);
        }

        var (alone, _) = Bisect(Linear(20), Test, 1);
        var (round, rounds) = Bisect(Linear(20), Test, 3);

        Assert.Equal(ResultKind.Inconclusive, round.Kind);
        Assert.Equal(["c10", "c9"], round.Candidates.Order(StringComparer.Ordinal));
        Assert.Equal(alone.Candidates.Order(StringComparer.Ordinal), round.Candidates.Order(StringComparer.Ordinal));
        Assert.Contains(rounds, r => r.Contains("c9"));
    }

    [Fact]
    public void The_likely_next_commit_of_a_round_starts_the_next_round_for_some_outcomes_and_asking_changes_nothing()
    {
        var graph = Linear(200);
        var strategy = new ClassicStrategy(graph, AnyCrashPolicy.Instance, runs: 1);
        strategy.Record(Outcome(graph.Commits[0], bad: true));
        var round = Assert.IsType<TestRound>(strategy.NextRound(3)).Tests;

        var likely = strategy.LikelyNext(round.Select(t => (t.Commit, t.Runs)).ToList());

        Assert.NotNull(likely);
        Assert.DoesNotContain(round, t => t.Commit == likely);
        Assert.Equal(round, Assert.IsType<TestRound>(strategy.NextRound(3)).Tests);
        // Some verdicts for the round's three commits make git ask for it first.
        var nextFirsts = new List<string>();
        for (var verdicts = 0; verdicts < 8; verdicts++)
        {
            var twin = new ClassicStrategy(graph, AnyCrashPolicy.Instance, runs: 1);
            twin.Record(Outcome(graph.Commits[0], bad: true));
            Assert.Equal(round, Assert.IsType<TestRound>(twin.NextRound(3)).Tests);
            for (var i = 0; i < 3; i++)
            {
                twin.Record(Outcome(round[i].Commit, (verdicts >> i & 1) == 1));
            }
            if (twin.NextRound(3) is TestRound next)
            {
                nextFirsts.Add(next.Tests[0].Commit);
            }
        }
        Assert.Contains(likely, nextFirsts);
        // While one test of the round still runs (the others recorded), it is still the next round's likely start or one of its branches.
        strategy.Record(Outcome(round[0].Commit, bad: true));
        Assert.NotNull(strategy.LikelyNext([(round[1].Commit, 1), (round[2].Commit, 1)]));
    }

    [Fact]
    public void A_100000_commit_merge_heavy_range_is_bisected_in_rounds_of_three_to_gits_culprit()
    {
        // Each round costs three of git's decisions (each linear in the range) and one per outcome git's path takes.
        var scenario = ScenarioGenerator.Generate(0, 7, new ScenarioKnobs(Commits: 100_000, ReproChance: 1.0, BrokenRate: 0, InfraRate: 0, UnrelatedRate: 0));
        Assert.Contains(scenario.Graph.Commits, c => scenario.Graph.ParentsOf(c).Count == 2);

        var graph = scenario.Graph;
        var culprit = scenario.CulpritCommit;
        var culpritIndex = graph.IndexOf(culprit);
        CommitOutcome Test(string c) => Outcome(c, graph.Ancestry.IsAncestor(culpritIndex, graph.IndexOf(c)));

        var (alone, aloneRounds) = Bisect(graph, Test, 1);
        var (three, rounds) = Bisect(graph, Test, 3);

        Assert.Equal(culprit, alone.Culprit);
        Assert.Equal(culprit, three.Culprit);
        Assert.True(rounds.Count <= Math.Ceiling(Math.Log(graph.Count, 4)) + 1, $"{rounds.Count} rounds of 3, {aloneRounds.Count} alone, for {graph.Count} commits");
    }
}
