namespace Culprit.TestSupport;

/// <summary>A lock between test processes on one machine (two `dotnet test` runs sharing the test cache).</summary>
public static class FileLock
{
    /// <summary>
    /// Waits (up to an hour) for the exclusive open of <paramref name="path"/>: an flock on Linux,
    /// released when the returned stream is disposed or this process ends however it ends.
    /// </summary>
    public static async Task<FileStream> AcquireAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddHours(1);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}
