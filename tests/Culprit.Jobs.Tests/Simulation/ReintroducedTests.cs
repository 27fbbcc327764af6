using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// The bug is fixed and brought back inside the range: the bisection finds its first introduction,
/// whose revert on the bad commit keeps the crash; the commits after it, each tested with it
/// reverted, are clean up to the reintroduction and crash from it on.
/// </summary>
public class ReintroducedTests
{
    [Fact]
    public async Task A_revert_that_keeps_the_crash_leads_to_the_commit_that_brought_it_back()
    {
        // Pinned: the first introduction was named and called doubtful (its revert kept the crash): no answer.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Reintroduced, 0, seed: 1);

        Assert.Contains(job.Log, l => l.StartsWith("the crash stays with " + scenario.Graph.Commits[scenario.Facts.Decoy!.Value], StringComparison.Ordinal));
        Assert.Equal(ResultKind.Found, job.Answer.Kind);
        Assert.Equal(scenario.CulpritCommit, job.Answer.Culprit);
    }
}
