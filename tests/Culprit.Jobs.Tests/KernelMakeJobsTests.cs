using Culprit.Jobs.Testers;
using Xunit;

namespace Culprit.Jobs.Tests;

/// <summary>make -j per kernel worker: a worker's share of the processors, over-subscribed by half so one build's serial link steps leave none idle.</summary>
public sealed class KernelMakeJobsTests
{
    [Theory]
    [InlineData(2, 1, 2)]    // one worker: every processor, as before workers existed
    [InlineData(2, 2, 2)]    // two workers on two cores: each may use both while the other links
    [InlineData(64, 4, 24)]  // a share of 16, over-subscribed by half
    [InlineData(8, 3, 4)]
    [InlineData(4, 16, 1)]   // more workers than processors: one compile each
    [InlineData(0, 2, 1)]    // a processor count of zero is read as one
    public void Each_worker_gets_its_share_over_subscribed_by_half(int processors, int workers, int jobs) =>
        Assert.Equal(jobs, KernelTester.MakeJobs(processors, workers));
}
