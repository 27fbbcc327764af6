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

    public static int For(JobSpec spec) => For(spec, Environment.ProcessorCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>The default for a machine with <paramref name="processors"/> and <paramref name="memoryBytes"/>.</summary>
    public static int For(JobSpec spec, int processors, long memoryBytes)
    {
        if (spec.Strategy == "classic")
        {
            return 1;
        }
        var byMemory = spec.Kernel is { } kernel
            ? (memoryBytes - (long)kernel.VmMemoryMb * kernel.Vms * (1L << 20)) / KernelWorkerBytes
            : memoryBytes / CommandWorkerBytes;
        var limit = spec.Kernel is null ? MaxCommandWorkers : JobSpecValidator.MaxWorkers;
        return (int)Math.Clamp(Math.Min(processors, byMemory), 1, limit);
    }
}
