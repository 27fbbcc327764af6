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
    public void Noise_left_out_leaves_the_same_range_culprit_and_repro_chance()
    {
        var all = ScenarioNoiseNames.Known.Aggregate(ScenarioNoise.None, (n, name) => ScenarioNoiseNames.TryParse(name, out var k) ? n | k : n);
        var noisy = Scenarios.Where(s => s.Manifestations.Count > 1 && s.UnrelatedRate > 0 && s.InfraRate > 0
            && Enumerable.Range(0, s.Graph.Count).Any(s.IsBroken)).Take(10).ToList();
        Assert.NotEmpty(noisy);
        Assert.All(noisy, s =>
        {
            var quiet = ScenarioGenerator.Generate(s.Index, 7, new ScenarioKnobs(Without: all));
            Assert.Equal(s.Graph.Commits, quiet.Graph.Commits);
            Assert.Equal(s.CulpritCommit, quiet.CulpritCommit);
            Assert.Equal(s.ReproChance, quiet.ReproChance);
            Assert.Equal(s.Manifestations[0].Title, quiet.Manifestations.Single().Title);
            Assert.Equal(s.Manifestations[0].AltTitles, quiet.Manifestations[0].AltTitles);
            Assert.Equal(0, quiet.UnrelatedRate);
            Assert.Equal(0, quiet.InfraRate);
            Assert.DoesNotContain(Enumerable.Range(0, quiet.Graph.Count), quiet.IsBroken);
            Assert.Equal([quiet.CulpritCommit], quiet.RightCandidates);
        });
        // One kind left out leaves the others as drawn.
        var s0 = noisy[0];
        var onlyInfra = ScenarioGenerator.Generate(s0.Index, 7, new ScenarioKnobs(Without: ScenarioNoise.InfraErrors));
        Assert.Equal(0, onlyInfra.InfraRate);
        Assert.Equal((s0.UnrelatedRate, s0.Manifestations.Count), (onlyInfra.UnrelatedRate, onlyInfra.Manifestations.Count));
        Assert.Equal(s0.RightCandidates, onlyInfra.RightCandidates);
        Assert.Equal(ScenarioNoise.UnrelatedCrashes | ScenarioNoise.InfraErrors,
            ScenarioNoiseNames.TryParse("unrelated-crashes", out var u) && ScenarioNoiseNames.TryParse("infra-errors", out var i) ? u | i : ScenarioNoise.None);
        Assert.False(ScenarioNoiseNames.TryParse("noise", out _));
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
}
