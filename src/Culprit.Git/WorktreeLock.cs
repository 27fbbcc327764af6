namespace Culprit.Git;

/// <summary>
/// Serialises adding and removing worktrees of one repository across threads and processes (jobs of
/// one node, nodes of a cluster on one machine). Git does not: one process's <c>git worktree prune</c>
/// deletes another's entry that <c>git worktree add</c> has made but not yet filled in, and that add
/// fails ("could not open '.git/worktrees/worktree/locked'"). The lock is an exclusive lock (flock)
/// on a file in the repository's common git directory, released when the holder closes it or dies.
/// </summary>
internal sealed class WorktreeLock : IDisposable
{
    private const string FileName = "culprit-worktrees.lock";
    private readonly FileStream _file;

    private WorktreeLock(FileStream file) => _file = file;

    public static async Task<WorktreeLock> AcquireAsync(string gitCommonDir, CancellationToken ct)
    {
        var path = Path.Combine(gitCommonDir, FileName);
        while (true)
        {
            try
            {
                return new WorktreeLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Held by another job: worktree commands take milliseconds, so look again soon.
                await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
