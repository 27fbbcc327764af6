namespace Culprit.Store;

/// <summary>
/// Marks a job as being run by this process (an exclusive lock on a file beside the store), so that
/// two processes never run or resume the same job at once. The lock file stays when the lock is
/// released: deleting it would let one runner lock the old file while another creates and locks a new one.
/// </summary>
public sealed class JobLock : IDisposable
{
    private readonly FileStream _file;

    private JobLock(FileStream file) => _file = file;

    public static JobLock Acquire(JobStore store, string jobId)
    {
        var path = $"{store.FilePath}.{jobId}.lock";
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on the open file: the kernel drops it when the process dies.
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new JobLock(file);
        }
        catch (IOException ex)
        {
            throw new StoreException($"job {jobId} is being run by another process (lock {path})", ex);
        }
    }

    public void Dispose() => _file.Dispose();
}
