namespace Culprit.Jobs;

/// <summary>
/// How many workers a job gets when <c>--workers</c> is not given: what the machine's processors and
/// memory allow for the job's kind. The classic strategy stays git's exact path, one commit at a time.
/// </summary>
public static class WorkerDefaults
{
    /// <summary>The most workers a command-mode job takes by default: past it rounds shrink little.</summary>
    public const int MaxCommandWorkers = 4;

    /// <summary>What one worker of a command-mode job may need (a checkout, a build, a test).</summary>
    private const long CommandWorkerBytes = 1L << 30;

    /// <summary>What one kernel worker's build needs (compiler processes, the link); the VMs are shared by all workers.</summary>
    private const long KernelWorkerBytes = 4L << 30;

    /// <summary>
    /// Processors per kernel worker. Kernel builds are CPU-bound and the workers share the
    /// processors (<see cref="Testers.KernelTester.MakeJobs"/>), so on few cores two builds at once
    /// each take about twice as long and a parallel round costs more than the round it saves: measured on 2 cores (bench/kernel.sh), <c>--workers 2</c> took 1.37x the wall
    /// time of one worker (the second worker's first build was a cold one of 277 s against
    /// increments of 34-54 s; tests were 3.5 % of the time). An incremental build is mostly serial
    /// steps (link, modpost, compression) once a few cores compile the changed files, so from about
    /// eight processors per build a second build overlaps instead of competing.
    /// </summary>
    private const int KernelWorkerProcessors = 8;

    public static int For(JobSpec spec) => For(spec, Environment.ProcessorCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>The default for a machine with <paramref name="processors"/> and <paramref name="memoryBytes"/>.</summary>
    public static int For(JobSpec spec, int processors, long memoryBytes)
    {
        if (StrategyFactory.TestsOneCommitAtATime(spec))
        {
            return 1;
        }
        var byProcessors = spec.Kernel is null ? processors : processors / KernelWorkerProcessors;
        var byMemory = spec.Kernel is { } kernel
            ? (memoryBytes - (long)kernel.VmMemoryMb * kernel.Vms * (1L << 20)) / KernelWorkerBytes
            : memoryBytes / CommandWorkerBytes;
        var limit = spec.Kernel is null ? MaxCommandWorkers : JobSpecValidator.MaxWorkers;
        return (int)Math.Clamp(Math.Min(byProcessors, byMemory), 1, limit);
    }
}
