using Culprit.Core.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// The release walk when the crashing commit also shows another bug's crash: which of its crashes is
/// the bug is weighed (<c>ReleaseEvidence</c>), so the other crash on a release does not make it bad.
/// </summary>
public class ReleaseWalkWorldTests
{
    [Fact]
    public async Task An_unrelated_crash_the_crashing_commit_showed_does_not_make_every_release_bad()
    {
        // Pinned: the crashing commit showed the bug (BUG: unable to handle kernel paging request in
        // io_uring_rcv) twice and an unrelated crash (KASAN: slab-out-of-bounds Write in snd_pcm_poll)
        // once; that crash struck every release, the clean oldest one too. Taking every title of the
        // crashing commit for the bug's, the walk judged them all bad: no good release found.
        var (scenario, job) = await PinnedWorld.RunAsync(World.ReleaseWalk, 86, seed: 1);

        Assert.DoesNotContain(job.Log, l => l.StartsWith("no good release found", StringComparison.Ordinal));
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
    }
}
