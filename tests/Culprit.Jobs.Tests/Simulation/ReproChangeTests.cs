using Culprit.Core.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// The reproducer shows the bug more often after a later commit: the bisection may name that commit,
/// and its parent then crashes with the bug now and then; the search below the parent finds where the bug came in.
/// </summary>
public class ReproChangeTests
{
    [Fact]
    public async Task A_commit_that_only_made_the_bug_show_more_often_gives_way_to_the_one_below_that_brought_it_in()
    {
        // Pinned: the repro chance rose at a later commit, which the bisection named (99.6 %). Its parent crashed with
        // the bug in verification's runs, went to the strategy, and the same commit was named again: the strategy's one
        // repro chance read the parent's crashes as strays, and the answer ended doubtful ("the crash stays when the
        // culprit is reverted"). Bisecting below the parent, with the parent's own repro chance, finds the culprit,
        // whose verification holds.
        var (scenario, job) = await PinnedWorld.RunAsync(World.ReproChange, 275, seed: 1);

        var parent = scenario.Graph.ParentsOf(PinnedWorld.DecoyOf(scenario))[0];
        PinnedWorld.AssertLogLine(job, $"the culprit's parent {parent} crashes with the bug too (", $"bisecting the 68 commits up to {parent}");
        PinnedWorld.AssertLogLine(job, "the bug came in with " + scenario.CulpritCommit + ", before " + PinnedWorld.DecoyOf(scenario));
        PinnedWorld.AssertFoundTheCulpritVerified(scenario, job);
    }
}
