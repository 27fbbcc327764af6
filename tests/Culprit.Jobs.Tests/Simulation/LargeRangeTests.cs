using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Jobs.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

public class LargeRangeTests
{
    [Fact]
    public void A_10000_commit_range_with_merges_is_bisected_to_its_culprit()
    {
        var scenario = ScenarioGenerator.Generate(0, 42, new ScenarioKnobs(Commits: 10_000, ReproChance: 1.0, BrokenRate: 0, InfraRate: 0, UnrelatedRate: 0));
        Assert.Contains(scenario.Graph.Commits, c => scenario.Graph.ParentsOf(c).Count == 2);

        var run = PolicyRunner.Run(scenario, Culprit.Core.Simulation.Policies.SimulatedPolicy.Flaky);

        Assert.Equal(ResultKind.Found, run.Result.Kind);
        Assert.Equal(scenario.CulpritCommit, run.Result.Culprit);
    }
}
