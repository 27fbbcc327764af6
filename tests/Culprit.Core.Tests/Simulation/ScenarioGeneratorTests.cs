using Culprit.Core.Simulation;
using Xunit;

namespace Culprit.Core.Tests.Simulation;

public class ScenarioGeneratorTests
{
    private static readonly List<Scenario> Scenarios = Enumerable.Range(0, 120).Select(i => ScenarioGenerator.Generate(i, 7)).ToList();

    [Fact]
    public void Knobs_are_drawn_within_the_benchmark_ranges()
    {
        Assert.All(Scenarios, s =>
        {
            Assert.InRange(s.Graph.Count, 50, 10_000);
            Assert.InRange(s.ReproChance, 0.05, 1.0);
            Assert.InRange(s.Manifestations.Count - 1, 0, 3);
            Assert.InRange(s.UnrelatedRate, 0, 0.10);
            Assert.InRange(s.BrokenRate, 0, 0.10);
            Assert.InRange(s.InfraRate, 0, 0.20);
        });
    }

    [Fact]
    public void Histories_have_merges()
    {
        Assert.All(Scenarios.Where(s => s.Graph.Count > 500), s =>
            Assert.Contains(s.Graph.Commits, c => s.Graph.ParentsOf(c).Count == 2));
    }

    [Fact]
    public void The_bad_commit_has_the_bug_and_builds()
    {
        Assert.All(Scenarios, s => Assert.True(s.HasBug(0) && !s.IsBroken(0)));
    }

    [Fact]
    public void The_culprit_builds_and_exactly_its_descendants_have_the_bug()
    {
        Assert.All(Scenarios.Take(20), s =>
        {
            Assert.False(s.IsBroken(s.Culprit));
            for (var c = 0; c < s.Graph.Count; c += 1 + s.Graph.Count / 40)
            {
                Assert.Equal(s.Graph.AncestorsOf(s.Graph.Commits[c]).Contains(s.CulpritCommit), s.HasBug(c));
            }
        });
    }

    [Fact]
    public void The_right_candidates_are_the_culprit_and_broken_commits_only()
    {
        Assert.All(Scenarios, s =>
        {
            Assert.Contains(s.CulpritCommit, s.RightCandidates);
            Assert.All(s.RightCandidates.Where(c => c != s.CulpritCommit), c => Assert.True(s.IsBroken(s.Graph.IndexOf(c))));
        });
    }

    [Fact]
    public void The_same_seed_and_index_give_the_same_scenario()
    {
        var (a, b) = (ScenarioGenerator.Generate(9, 3), ScenarioGenerator.Generate(9, 3));

        Assert.Equal(a.Graph.Commits, b.Graph.Commits);
        Assert.Equal((a.Culprit, a.ReproChance), (b.Culprit, b.ReproChance));
    }

    [Fact]
    public void The_simulated_tester_stops_a_test_at_its_first_run_showing_a_settling_title_and_counts_only_the_runs_made()
    {
        var s = ScenarioGenerator.Generate(3, 7, new ScenarioKnobs(Commits: 200, ReproChance: 0.5, ExtraManifestations: 0, UnrelatedRate: 0, BrokenRate: 0, InfraRate: 0));
        var commit = s.Graph.Commits[0];
        var titles = new[] { s.Manifestations[0].Title };

        var full = new SimulatedTester(s).Test(commit, 30);
        var stopping = new SimulatedTester(s);
        var stopped = stopping.Test(commit, 30, titles);

        var first = full.Runs.ToList().FindIndex(r => r.ShowsAnyOf(titles));
        Assert.InRange(first, 0, 28);
        // The same world, cut at the first crash of the bug.
        Assert.Equal(full.Runs.Take(first + 1), stopped.Runs);
        Assert.Equal(first + 1, stopping.Runs);
    }

    [Fact]
    public void The_simulated_tester_gives_the_same_outcome_for_the_same_question()
    {
        var s = Scenarios[0];
        var commit = s.Graph.Commits[s.Graph.Count / 2];

        var (a, b) = (new SimulatedTester(s).Test(commit, 10), new SimulatedTester(s).Test(commit, 10));

        Assert.Equal(a.Runs, b.Runs);
    }
}
