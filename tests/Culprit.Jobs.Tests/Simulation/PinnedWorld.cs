using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Culprit.Jobs.Simulation;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// One scenario of a world, as <c>simulate --worlds</c> makes it (kernel prices), run through the
/// job flow with the flaky policy: the pinned cases of the world tests.
/// </summary>
internal static class PinnedWorld
{
    private static readonly ScenarioKnobs Kernel = SimulationPrices.Kernel.Timings(ScenarioKnobs.None);

    public static async Task<(Scenario Scenario, SimulatedJobRun Job)> RunAsync(World world, int index, int seed)
    {
        var scenario = ScenarioWorlds.Generate(index, seed, world, Kernel);
        return (scenario, await SimulatedJob.RunAsync(scenario, SimulatedPolicy.Flaky));
    }
}
