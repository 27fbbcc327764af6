using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Culprit.Jobs.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// Two bugs come in at two commits of the range: the posterior has one culprit for the bug, so it
/// takes the other bug's crash for background even when the bad commit shows it as often.
/// </summary>
public class SecondBugTests
{
    private static readonly ScenarioKnobs Kernel = SimulationPrices.Kernel.Timings(ScenarioKnobs.None);

    [Fact]
    public async Task An_answer_that_leaves_the_bad_commits_other_frequent_crash_to_another_commit_is_not_stated_at_95_percent()
    {
        // Pinned: the bisection follows the second bug's crash to its culprit (99.6 % by the posterior, its revert
        // clean by the bug's titles), while the bad commit showed the first bug's crash 3 times in 10 runs, the second's twice.
        var scenario = ScenarioWorlds.Generate(63, 1, World.SecondBug, Kernel);

        var job = await SimulatedJob.RunAsync(scenario, SimulatedPolicy.Flaky);

        Assert.Equal(scenario.Graph.Commits[scenario.Facts.Decoy!.Value], job.Answer.Culprit);
        Assert.True(job.Answer.Confidence < 0.95, $"stated {job.Answer.Confidence}");
        Assert.Contains("which comes in at another commit than the culprit", job.Result.Message);
    }
}
