using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Jobs.Simulation;
using Culprit.Core.Simulation.Policies;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>Scenarios pinned by seed and knobs: the flake-aware strategy must name their culprit.</summary>
public class PinnedScenarioTests
{
    // Pinned, not typical: at this repro chance and size many scenarios still end inconclusive
    // within the default budget (saying so); this one must keep being found.
    [Fact]
    public void A_crash_shown_in_one_run_of_ten_on_5000_commits_is_bisected_to_its_culprit()
    {
        var scenario = ScenarioGenerator.Generate(4, 11, new ScenarioKnobs(Commits: 5000, ReproChance: 0.1, UnrelatedRate: 0.03, BrokenRate: 0.03, InfraRate: 0.1));

        var run = PolicyRunner.Run(scenario, SimulatedPolicy.Flaky);

        Assert.Equal(ResultKind.Found, run.Result.Kind);
        Assert.Equal(scenario.CulpritCommit, run.Result.Culprit);
    }

    [Fact]
    public void Unrelated_crashes_and_other_manifestations_do_not_mislead_the_flaky_strategy()
    {
        var scenario = ScenarioGenerator.Generate(5, 11, new ScenarioKnobs(Commits: 3000, ReproChance: 0.5, ExtraManifestations: 3, UnrelatedRate: 0.1));

        var run = PolicyRunner.Run(scenario, SimulatedPolicy.Flaky);

        Assert.True(run.Right, $"{run.Result.Kind} {run.Result.Culprit} (culprit {scenario.CulpritCommit})");
    }

    [Fact]
    public void Git_bisect_with_one_run_finds_a_reliable_crash_without_noise()
    {
        var scenario = ScenarioGenerator.Generate(1, 11, new ScenarioKnobs(Commits: 2000, ReproChance: 1.0, UnrelatedRate: 0, BrokenRate: 0, InfraRate: 0));

        var run = PolicyRunner.Run(scenario, SimulatedPolicy.Git);

        Assert.True(run.Right);
        // Each commit built and run once; verification runs the culprit's parent once more on its build and the
        // revert twice (each check up to twice the runs).
        Assert.Equal(run.Builds + 2, run.Runs);
    }

    [Fact]
    public void Ambiguous_scenarios_are_right_only_as_inconclusive_with_the_broken_commits_and_the_culprit()
    {
        var scenario = Enumerable.Range(0, 200)
            .Select(i => ScenarioGenerator.Generate(i, 11, new ScenarioKnobs(Commits: 300, ReproChance: 1.0, BrokenRate: 0.4, UnrelatedRate: 0, InfraRate: 0)))
            .First(s => s.Ambiguous);

        var run = PolicyRunner.Run(scenario, SimulatedPolicy.Flaky);

        Assert.Equal(ResultKind.Inconclusive, run.Result.Kind);
        Assert.Equal(scenario.RightCandidates.Order(), run.Result.Candidates.Order());
        Assert.True(run.Right);
    }
}
