namespace Culprit.Store;

/// <summary>
/// Marks a job as being run by this process, so that two processes (or two nodes of a cluster) never
/// run or resume the same job at once. On SQLite it is an exclusive lock on a file beside the store,
/// on PostgreSQL a session advisory lock; either way it goes when the holding process dies.
/// </summary>
public sealed class JobLock : IDisposable
{
    private readonly IDisposable _held;

    private JobLock(IDisposable held) => _held = held;

    /// <summary>Takes the job's lock, or throws <see cref="StoreException"/> when another process holds it.</summary>
    public static JobLock Acquire(JobStore store, string jobId) => new(store.LockJob(jobId));

    public void Dispose() => _held.Dispose();
}
