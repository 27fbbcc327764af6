using Xunit;

namespace Culprit.Jobs.Tests;

/// <summary>How many workers a job gets without <c>--workers</c>: the machine's processors and memory, by the job's kind.</summary>
public sealed class WorkerDefaultsTests
{
    private const long GiB = 1L << 30;

    private static JobSpec Command(string strategy = "flaky") => new()
    {
        Repo = "/r", Bad = "b", Good = "g", Strategy = strategy, Build = "true", Test = "true",
    };

    private static JobSpec Kernel() => Command() with { Kernel = new KernelSpec { Config = "c", Repro = "r", Vms = 2, VmMemoryMb = 2048 } };

    [Theory]
    [InlineData(2, 8, 2)]
    [InlineData(16, 64, 4)]    // at most four: past it rounds shrink little
    [InlineData(16, 2, 2)]     // a worker needs about 1 GiB
    public void A_command_job_gets_a_worker_per_processor_within_memory(int processors, long memoryGiB, int workers) =>
        Assert.Equal(workers, WorkerDefaults.For(Command(), processors, memoryGiB * GiB));

    [Theory]
    [InlineData(2, 16, 1)]     // two cores: parallel builds compete for them (bench/kernel.sh: 1.37x slower)
    [InlineData(8, 32, 1)]
    [InlineData(16, 64, 2)]
    [InlineData(64, 256, 8)]
    [InlineData(64, 16, 3)]    // memory: 4 GiB a build beside the VMs' 4 GiB
    [InlineData(1, 1, 1)]
    public void A_kernel_job_gets_a_worker_per_eight_processors_within_memory(int processors, long memoryGiB, int workers) =>
        Assert.Equal(workers, WorkerDefaults.For(Kernel(), processors, memoryGiB * GiB));

    [Fact]
    public void The_classic_strategy_tests_one_commit_at_a_time() =>
        Assert.Equal(1, WorkerDefaults.For(Command("classic"), 64, 256 * GiB));
}
