using Culprit.Core.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// A job that stops on a commit its machines could not test (every run an infra error) and is
/// resumed builds nothing again: the kernel images it made are kept on the machine, and the
/// simulated machines keep theirs alike, so the simulator charges what a real job pays.
/// </summary>
public class ResumedJobBuildsTests
{
    [Fact]
    public async Task A_resumed_job_builds_no_commit_twice()
    {
        // Pinned, model world: the job stops twice on a commit whose runs were all infra errors and is
        // resumed each time; it made 22 builds for 19 commits before the simulated machines kept their builds.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Model, 368, seed: 1);

        PinnedWorld.AssertFoundTheCulprit(scenario, job);
        var tested = job.Tests.Select(t => t.Commit).Distinct().Count();
        Assert.True(job.Builds <= tested, $"{job.Builds} builds for {tested} commits tested");
    }
}
