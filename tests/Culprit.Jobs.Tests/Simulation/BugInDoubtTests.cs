using Culprit.Core.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// A rare bug whose crashes also showed on commits taken to be without it can leave no crash more
/// likely the bug than background for a while; the log says so and names the likeliest, instead of
/// taking an empty bug.
/// </summary>
public class BugInDoubtTests
{
    [Fact]
    public async Task When_no_crash_is_likelier_the_bug_the_log_names_the_likeliest_instead_of_an_empty_bug()
    {
        // Pinned, model world: a crash in one run of ten, a third of the runs lost to infra errors, 54 commits.
        // Its bug's title fell to 48 % after crashes on commits then taken to be good; the log said
        // "the bug is taken to be:  (42.9% probability)".
        var (scenario, job) = await PinnedWorld.RunAsync(World.Model, 861, seed: 1);

        PinnedWorld.AssertFoundTheCulprit(scenario, job);
        var primary = scenario.Manifestations[0].Title;
        Assert.Contains(job.Log, l => l.StartsWith($"the bug's crash is in doubt: no crash seen is more likely the bug than background (likeliest: {primary}, ", StringComparison.Ordinal));
        Assert.DoesNotContain(job.Log, l => l.StartsWith("the bug is taken to be:  ", StringComparison.Ordinal));
    }
}
