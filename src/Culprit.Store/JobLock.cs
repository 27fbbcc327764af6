namespace Culprit.Store;

/// <summary>
/// Marks a job as being run by this process (an exclusive lock on a file beside the store), so that
/// two processes never run or resume the same job at once.
/// </summary>
public sealed class JobLock : IDisposable
{
    private readonly FileStream _file;
    private readonly string _path;

    private JobLock(FileStream file, string path)
    {
        _file = file;
        _path = path;
    }

    public static JobLock Acquire(JobStore store, string jobId)
    {
        var path = $"{store.FilePath}.{jobId}.lock";
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new JobLock(file, path);
        }
        catch (IOException ex)
        {
            throw new StoreException($"job {jobId} is being run by another process (lock {path})", ex);
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
            // Another process took the lock in between; it will remove the file.
        }
    }
}
