using Culprit.Core.Domain;
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

    /// <summary>The world's decoy commit (the first coming, the second bug's culprit, the renaming commit, …).</summary>
    public static string DecoyOf(Scenario scenario) => scenario.Graph.Commits[scenario.Facts.Decoy!.Value];

    /// <summary>The job's log has a line that starts with <paramref name="start"/> and ends with <paramref name="end"/>.</summary>
    public static void AssertLogLine(SimulatedJobRun job, string start, string end = "") =>
        Xunit.Assert.Contains(job.Log, l => l.StartsWith(start, StringComparison.Ordinal) && l.EndsWith(end, StringComparison.Ordinal));

    /// <summary>The job found a culprit, and it is the scenario's.</summary>
    public static void AssertFoundTheCulprit(Scenario scenario, SimulatedJobRun job)
    {
        Xunit.Assert.Equal(ResultKind.Found, job.Answer.Kind);
        Xunit.Assert.Equal(scenario.CulpritCommit, job.Answer.Culprit);
    }

    /// <summary>The job found the scenario's culprit, and verification did not call it doubtful.</summary>
    public static void AssertFoundTheCulpritVerified(Scenario scenario, SimulatedJobRun job)
    {
        AssertFoundTheCulprit(scenario, job);
        Xunit.Assert.False(job.Result.Verification?.Doubtful);
    }
}
