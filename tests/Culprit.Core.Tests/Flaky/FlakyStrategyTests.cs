using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;
using Xunit;
using static Culprit.Core.Tests.Flaky.FlakyTestWorld;

namespace Culprit.Core.Tests.Flaky;

public class FlakyStrategyTests
{
    /// <summary>Crashes are drawn at random: each flaky case is checked on several draws.</summary>
    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 12)];

    [Fact]
    public void A_reliable_crash_is_bisected_to_its_culprit_with_high_confidence()
    {
        var graph = Linear(200);
        var (result, _) = Drive(new FlakyStrategy(graph), graph, culprit: 137);

        Assert.Equal(ResultKind.Found, result.Kind);
        Assert.Equal("c137", result.Culprit);
        Assert.True(result.Confidence >= 0.95, $"confidence {result.Confidence}");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_crash_in_one_run_of_three_is_still_bisected_to_its_culprit(int seed)
    {
        var graph = Linear(300);
        var (result, _) = Drive(new FlakyStrategy(graph), graph, culprit: 41, reproChance: 1.0 / 3, seed: seed);

        Assert.Equal(ResultKind.Found, result.Kind);
        Assert.Equal("c41", result.Culprit);
    }

    [Fact]
    public void A_bisection_test_names_the_bugs_titles_as_settling_once_the_bug_is_known_and_none_before()
    {
        var graph = Linear(100);
        var strategy = new FlakyStrategy(graph);

        var first = Assert.IsType<TestCommit>(strategy.Next());
        Assert.Null(first.SettlingTitles);
        strategy.Record(Crashes("c0", 6, 4));
        var test = Assert.IsType<TestCommit>(strategy.Next());

        Assert.NotEqual("c0", test.Commit);
        Assert.NotNull(test.SettlingTitles);
        Assert.Contains(Bug, test.SettlingTitles);
        Assert.Contains(BugAlt, test.SettlingTitles);
        Assert.DoesNotContain(Other, test.SettlingTitles);
    }

    [Fact]
    public void The_any_crash_policy_settles_no_commit_by_one_crash()
    {
        var graph = Linear(100);
        var strategy = new FlakyStrategy(graph, new FlakyOptions(AnyCrash: true));

        strategy.Record(Crashes("c0", 6, 4));

        Assert.Null(Assert.IsType<TestCommit>(strategy.Next()).SettlingTitles);
    }

    [Fact]
    public void The_culprit_can_be_the_bad_commit_itself()
    {
        var graph = Linear(60);
        var (result, _) = Drive(new FlakyStrategy(graph), graph, culprit: 0);

        Assert.Equal("c0", result.Culprit);
    }

    [Fact]
    public void The_bad_commit_is_tested_first_when_nothing_was_recorded()
    {
        var strategy = new FlakyStrategy(Linear(10), new FlakyOptions(FirstRuns: 7));

        var step = Assert.IsType<TestCommit>(strategy.Next());

        Assert.Equal(("c0", 7), (step.Commit, step.Runs));
    }

    [Fact]
    public void A_bad_commit_that_never_crashes_ends_as_not_reproduced()
    {
        var graph = Linear(20);
        var strategy = new FlakyStrategy(graph);
        BisectionStep step;
        while ((step = strategy.Next()) is TestCommit test)
        {
            Assert.Equal("c0", test.Commit);
            strategy.Record(Crashes("c0", 0, test.Runs));
        }

        Assert.Equal(ResultKind.NotReproduced, Assert.IsType<Finished>(step).Result.Kind);
    }

    [Fact]
    public void A_crash_with_another_title_is_reported_as_unrelated()
    {
        var graph = Linear(20);
        var strategy = new FlakyStrategy(graph);
        strategy.Record(Crashes("c0", 10, 0));

        var judgement = strategy.Record(new CommitOutcome("c10", true,
            [RunOutcome.Ok(), RunOutcome.Crash(Other, altTitles: ["WARNING in ext4"]), RunOutcome.Ok()]));

        Assert.Equal(new HashSet<int> { 1 }, judgement.UnrelatedRuns);
    }

    [Fact]
    public void Another_manifestation_sharing_an_alt_title_counts_as_the_bug()
    {
        var graph = Linear(20);
        var strategy = new FlakyStrategy(graph);
        strategy.Record(Crashes("c0", 10, 0));

        var judgement = strategy.Record(new CommitOutcome("c10", true,
            [RunOutcome.Crash("general protection fault in tcp_close", altTitles: [BugAlt]), RunOutcome.Ok()]));

        Assert.Empty(judgement.UnrelatedRuns!);
        Assert.Equal(Verdict.Bad, judgement.Verdict);
    }

    [Fact]
    public void Titles_seen_on_the_bad_commit_count_as_the_bug()
    {
        var graph = Linear(20);
        var strategy = new FlakyStrategy(graph);
        strategy.Record(new CommitOutcome("c0", true,
            [.. Enumerable.Repeat(RunOutcome.Crash(Bug, altTitles: [BugAlt]), 6), .. Enumerable.Repeat(RunOutcome.Crash("INFO: task hung in tcp_close"), 3)]));

        var judgement = strategy.Record(new CommitOutcome("c10", true, [RunOutcome.Crash("INFO: task hung in tcp_close"), RunOutcome.Ok()]));

        Assert.Empty(judgement.UnrelatedRuns!);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void An_unrelated_crash_seen_on_the_bad_commit_stops_counting_once_it_shows_on_commits_without_the_bug(int seed)
    {
        var graph = Linear(300);
        var strategy = new FlakyStrategy(graph);

        // The bad commit's first runs show the bug and, as often, an unrelated crash (every 4th
        // clean run, on every commit alike): only where their crashes fall tells them apart.
        var (result, _) = Drive(strategy, graph, culprit: 41, reproChance: 1.0 / 3, seed: seed, unrelatedChance: 0.25);

        Assert.Equal(ResultKind.Found, result.Kind);
        Assert.Equal("c41", result.Culprit);
        Assert.Contains(Bug, strategy.BugTitles);
        Assert.DoesNotContain(Other, strategy.BugTitles);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_fix_bisection_finds_the_commit_after_which_a_flaky_crash_is_gone(int seed)
    {
        var graph = Linear(300);
        var strategy = new FlakyStrategy(graph, new FlakyOptions(Fix: true));

        var (result, outcomes) = Drive(strategy, graph, culprit: 41, reproChance: 1.0 / 3, seed: seed, fix: true);

        Assert.Equal(ResultKind.Found, result.Kind);
        Assert.Equal("c41", result.Culprit);
        Assert.True(result.Confidence >= 0.95);
        // Crashing commits are in the old state (good), fixed ones in the new (bad), like git bisect's terms.
        var crashed = outcomes.First(o => graph.IndexOf(o.Commit) > 41 && o.Runs.Any(r => r.Result == RunResult.Crashed));
        Assert.Equal(Verdict.Good, strategy.Record(crashed).Verdict);
        Assert.Equal(Verdict.Bad, strategy.Record(outcomes.First(o => o.Commit == "c41")).Verdict);
    }

    [Fact]
    public void Under_the_any_crash_policy_every_crash_counts()
    {
        var graph = Linear(20);
        var strategy = new FlakyStrategy(graph, new FlakyOptions(AnyCrash: true));
        strategy.Record(Crashes("c0", 10, 0));

        var judgement = strategy.Record(new CommitOutcome("c10", true, [RunOutcome.Crash(Other), RunOutcome.Ok()]));

        Assert.Empty(judgement.UnrelatedRuns!);
        Assert.Equal(Verdict.Bad, judgement.Verdict);
    }

    [Fact]
    public void Infra_errors_never_count()
    {
        var graph = Linear(20);
        var strategy = new FlakyStrategy(graph);
        strategy.Record(Crashes("c0", 10, 0));

        var judgement = strategy.Record(new CommitOutcome("c10", true, [RunOutcome.Infra("boot failed: can't ssh into the instance")]));

        Assert.Equal(Verdict.Skip, judgement.Verdict);
        Assert.Null(judgement.Probability);
    }

    [Fact]
    public void A_flaky_reproducer_is_noted_with_its_repro_chance_estimate()
    {
        var strategy = new FlakyStrategy(Linear(20));

        var judgement = strategy.Record(Crashes("c0", 3, 7));

        var note = Assert.Single(judgement.Notes!, n => n.StartsWith("reproducer is flaky (", StringComparison.Ordinal));
        Assert.Matches(@"^reproducer is flaky \(0\.\d\d repro chance estimate\)$", note);
        Assert.InRange(strategy.ReproChance!.Value, 0.15, 0.5);
    }

    [Fact]
    public void Verdicts_carry_the_probability_of_the_verdict()
    {
        var graph = Linear(20);
        var strategy = new FlakyStrategy(graph);
        strategy.Record(Crashes("c0", 10, 0));

        var bad = strategy.Record(Crashes("c5", 3, 0));
        var good = strategy.Record(Crashes("c15", 0, 10));

        Assert.Equal((Verdict.Bad, true), (bad.Verdict, bad.Probability > 0.99));
        Assert.Equal((Verdict.Good, true), (good.Verdict, good.Probability > 0.99));
    }

    [Fact]
    public void Broken_builds_right_before_the_culprit_make_it_inconclusive_with_exactly_those_commits()
    {
        var graph = Linear(100);
        var (result, _) = Drive(new FlakyStrategy(graph), graph, culprit: 40, broken: new HashSet<int> { 41, 42 });

        Assert.Equal(ResultKind.Inconclusive, result.Kind);
        Assert.Equal(["c40", "c41", "c42"], result.Candidates.Order());
        Assert.Equal(result.Candidates.Order(), result.Probabilities!.Keys.Order());
        Assert.True(result.Confidence >= 0.95);
    }

    [Fact]
    public void A_spent_budget_gives_the_likely_candidates_and_their_probabilities()
    {
        var graph = Linear(500);
        var (result, outcomes) = Drive(new FlakyStrategy(graph, new FlakyOptions(MaxRuns: 60)), graph, culprit: 250, reproChance: 0.25);

        Assert.Equal(ResultKind.Inconclusive, result.Kind);
        Assert.True(outcomes.Sum(o => o.Runs.Count) <= 60);
        Assert.NotEmpty(result.Candidates);
        Assert.Equal(result.Candidates.Order(), result.Probabilities!.Keys.Order());
        Assert.All(result.Probabilities.Values, p => Assert.InRange(p, 0.01, 1));
    }

    [Fact]
    public void A_job_of_several_workers_gets_half_the_run_budget_again_for_each_further_worker_unless_it_gives_one()
    {
        var graph = Linear(500);
        // 1,200 runs spent: one worker's whole default budget.
        IReadOnlyList<CommitOutcome> spent = [Crashes("c0", 5, 5), Crashes("c400", 0, 1190)];
        BisectionStep After(FlakyOptions options)
        {
            var strategy = new FlakyStrategy(graph, options);
            foreach (var outcome in spent)
            {
                strategy.Record(outcome);
            }
            return strategy.Next();
        }

        var alone = Assert.IsType<Finished>(After(new FlakyOptions())).Result;
        Assert.Equal(ResultKind.Inconclusive, alone.Kind);
        Assert.Contains("the budget is spent (1200 runs", alone.Message);
        Assert.Equal((1200, 1800, 2400), (new FlakyOptions().RunBudget, new FlakyOptions(Workers: 2).RunBudget, new FlakyOptions(Workers: 3).RunBudget));
        Assert.IsType<TestCommit>(After(new FlakyOptions(Workers: 3)));
        Assert.IsType<Finished>(After(new FlakyOptions(MaxRuns: 1200, Workers: 3)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void While_budget_lasts_the_bisection_goes_on_until_a_fifth_of_the_targets_risk_is_left(int seed)
    {
        var graph = Linear(300);
        var strategy = new FlakyStrategy(graph);
        var (result, _) = Drive(strategy, graph, culprit: 41, reproChance: 1.0 / 3, seed: seed);

        Assert.Equal("c41", result.Culprit);
        Assert.True(result.Confidence >= 0.99, $"confidence {result.Confidence}");
        Assert.Equal(strategy.ProbabilityOf("c41"), result.Confidence);
    }

    [Fact]
    public void A_budget_spent_once_the_target_is_reached_names_the_leader_with_its_probability()
    {
        var graph = Linear(300);
        var held = 0;
        foreach (var seed in Seeds)
        {
            var (_, outcomes) = Drive(new FlakyStrategy(graph), graph, culprit: 41, reproChance: 1.0 / 3, seed: seed);

            // Replay ever longer prefixes with exactly their runs as the budget, up to the first at
            // which c41 holds between 95 % and 99 %: there the spent budget must end the bisection.
            for (var k = 1; k <= outcomes.Count; k++)
            {
                var strategy = new FlakyStrategy(graph, new FlakyOptions(MaxRuns: outcomes.Take(k).Sum(o => o.Runs.Count)));
                foreach (var outcome in outcomes.Take(k))
                {
                    strategy.Record(outcome);
                }
                var p = strategy.ProbabilityOf("c41");
                if (p is >= 0.95 and < 0.99)
                {
                    var result = Assert.IsType<Finished>(strategy.Next()).Result;
                    Assert.Equal((ResultKind.Found, "c41", (double?)p), (result.Kind, result.Culprit, result.Confidence));
                    held++;
                    break;
                }
            }
        }
        // Random draws may jump past the band in one test; some of them must pass through it.
        Assert.True(held > 0, "no bisection ever held c41 between 95 % and 99 %");
    }

    [Fact]
    public void The_build_budget_is_never_exceeded()
    {
        var graph = Linear(500);
        var (_, outcomes) = Drive(new FlakyStrategy(graph, new FlakyOptions(MaxBuilds: 5)), graph, culprit: 250, reproChance: 0.25);

        var builds = outcomes.Select(o => o.Commit).Distinct().Count();
        Assert.True(builds <= 5, $"{builds} builds");
    }

    [Fact]
    public void Retesting_a_built_commit_spends_runs_not_builds()
    {
        var graph = Linear(100);
        var strategy = new FlakyStrategy(graph, new FlakyOptions(MaxBuilds: 3));
        // The bad commit built once and tested three times: one build of the three allowed.
        strategy.Record(Crashes("c0", 1, 9));
        strategy.Record(Crashes("c0", 2, 8) with { BuildSeconds = 0 });
        strategy.Record(Crashes("c0", 1, 9) with { BuildSeconds = 0 });

        var step = Assert.IsType<TestCommit>(strategy.Next());

        Assert.NotEqual("c0", step.Commit);
    }

    [Fact]
    public void Replaying_the_same_outcomes_into_a_fresh_strategy_gives_the_same_steps()
    {
        var graph = Linear(400);
        var first = new FlakyStrategy(graph);
        var (result, outcomes) = Drive(first, graph, culprit: 123, reproChance: 0.5);

        var replay = new FlakyStrategy(graph);
        var steps = new List<BisectionStep>();
        replay.Record(outcomes[0]);
        foreach (var outcome in outcomes.Skip(1))
        {
            var step = Assert.IsType<TestCommit>(replay.Next());
            Assert.Equal(outcome.Commit, step.Commit);
            replay.Record(outcome);
        }

        Assert.Equal(result, Assert.IsType<Finished>(replay.Next()).Result, new ResultComparer());
    }

    [Fact]
    public void A_commit_already_built_costs_only_its_runs_so_it_is_retested_when_builds_are_dear()
    {
        var graph = Linear(40);
        var strategy = new FlakyStrategy(graph);
        // An hour per build, a second per run: a commit built once is worth many more runs before
        // another commit is worth building.
        strategy.Record(Priced(Crashes("c0", 4, 6)));
        strategy.Record(Priced(Crashes("c20", 0, 2)));

        var step = Assert.IsType<TestCommit>(strategy.Next());

        Assert.Equal("c20", step.Commit);

        static CommitOutcome Priced(CommitOutcome o) => o with { BuildSeconds = 3600, TestSeconds = o.Runs.Count };
    }

    [Fact]
    public void A_run_is_priced_at_its_own_machine_time_not_the_wall_time_of_runs_in_parallel()
    {
        var graph = Linear(40);
        var strategy = new FlakyStrategy(graph);
        // Ten-minute builds and five-minute runs, ten at once on ten VMs (five minutes of wall time
        // for ten runs): a run costs half a build, so a new commit is worth its build before more
        // retests of c20 (priced at wall time, a run would look ten times cheaper and c20 be retested).
        strategy.Record(Parallel(Crashes("c0", 3, 7)));
        strategy.Record(Parallel(Crashes("c20", 0, 8)));

        var step = Assert.IsType<TestCommit>(strategy.Next());

        Assert.NotEqual("c20", step.Commit);

        static CommitOutcome Parallel(CommitOutcome o) => o with
        {
            BuildSeconds = 600,
            Runs = [.. o.Runs.Select(r => r with { Seconds = 300 })],
            TestSeconds = 300 * Math.Ceiling(o.Runs.Count / 10.0),
        };
    }

    [Fact]
    public void A_rare_crash_is_measured_on_the_crashing_commit_before_the_bisection_prices_clean_tests_by_it()
    {
        var graph = Linear(500);
        var strategy = new FlakyStrategy(graph);
        // Two crashes in twenty runs: the bug's title is known, but p could be 0.03 or 0.3, and
        // every clean test would be priced by how low it may be.
        strategy.Record(Crashes("c0", 1, 9));
        strategy.Record(Crashes("c0", 1, 9) with { BuildSeconds = 0 });

        var again = Assert.IsType<TestCommit>(strategy.Next());

        // The bad commit's third test doubles its runs, as the reproduce phase does.
        Assert.Equal(("c0", 20), (again.Commit, again.Runs));
        // Every run made: a test stopped at the first crash would not count how often the bug shows.
        Assert.Null(again.SettlingTitles);

        // Four crashes in forty runs pin p down well enough: the bisection starts.
        strategy.Record(Crashes("c0", 2, 18) with { BuildSeconds = 0 });
        Assert.NotEqual("c0", Assert.IsType<TestCommit>(strategy.Next()).Commit);
    }

    [Fact]
    public void Two_crashes_start_the_bisection_only_when_they_are_half_the_runs_or_more()
    {
        var graph = Linear(500);
        // Two crashes in two runs (a job run with --runs 2): the reproducer crashes often, and
        // the bisection starts at once.
        var often = new FlakyStrategy(graph, new FlakyOptions(FirstRuns: 2));
        often.Record(Crashes("c0", 2, 0));
        Assert.NotEqual("c0", Assert.IsType<TestCommit>(often.Next()).Commit);

        // Two in five: p is still anywhere from a few percent to most runs, so c0 is tested again.
        var rare = new FlakyStrategy(graph, new FlakyOptions(FirstRuns: 5));
        rare.Record(Crashes("c0", 2, 3));
        Assert.Equal("c0", Assert.IsType<TestCommit>(rare.Next()).Commit);
    }

    [Fact]
    public void A_crash_that_shows_in_most_runs_is_not_measured_further()
    {
        var graph = Linear(500);
        var strategy = new FlakyStrategy(graph);
        strategy.Record(Crashes("c0", 8, 2));

        Assert.NotEqual("c0", Assert.IsType<TestCommit>(strategy.Next()).Commit);
    }

    [Fact]
    public void The_crashing_commit_is_measured_no_more_than_sixty_runs()
    {
        var graph = Linear(500);
        var strategy = new FlakyStrategy(graph);
        strategy.Record(Crashes("c0", 1, 9));
        for (var i = 0; i < 5; i++)
        {
            strategy.Record(Crashes("c0", 0, 10) with { BuildSeconds = 0 });
        }

        Assert.NotEqual("c0", Assert.IsType<TestCommit>(strategy.Next()).Commit);
    }

    [Fact]
    public void Next_does_not_change_the_strategy()
    {
        var graph = Linear(100);
        var strategy = new FlakyStrategy(graph);
        strategy.Record(Crashes("c0", 4, 6));

        Assert.Equal(strategy.Next(), strategy.Next());
    }

    private sealed class ResultComparer : IEqualityComparer<BisectionResult>
    {
        public bool Equals(BisectionResult? x, BisectionResult? y) =>
            x!.Kind == y!.Kind && x.Culprit == y.Culprit && x.Candidates.SequenceEqual(y.Candidates) && x.Confidence == y.Confidence;

        public int GetHashCode(BisectionResult obj) => obj.Kind.GetHashCode();
    }
}
