using System.Collections.Concurrent;
using Culprit.Core.Domain;

namespace Culprit.Git;

/// <summary>
/// A job's range, kept as a <see cref="CommitGraphFile"/> in its work directory: the first pass
/// lists it with <c>git rev-list</c> and writes the file; a resumed pass maps it back (about 0.1 s
/// at 1.3 M commits, against seconds for the listing and the ancestry walk). The file is keyed by
/// the repository and the range's ends; a missing, stale or damaged file is passed over without a
/// word and the range is listed again, so the cache changes how long a resume takes, never what it decides.
/// </summary>
public static class RangeCache
{
    /// <summary>The file's name in a job's work directory.</summary>
    public const string FileName = "range.graph";

    /// <param name="writeAside">
    /// Writes the file on another thread while the caller goes on with the graph (at 1.3 M commits
    /// 0.1–0.2 s the first decision no longer waits for); <see cref="WaitForWriteAsync"/> waits for it.
    /// </param>
    public static async Task<CommitGraph> LoadOrListAsync(
        GitRepository repo, string file, string bad, IReadOnlyList<string> goods, RangeFilter? filter = null, CancellationToken ct = default,
        bool writeAside = false)
    {
        filter ??= RangeFilter.None;
        var key = Key(repo, bad, goods, filter);
        if (TryRead(file, key) is { } cached)
        {
            return cached;
        }
        var graph = await repo.RangeAsync(bad, goods, filter, ct);
        if (writeAside)
        {
            // The graph is not changed after it is built: reading it on two threads is safe. Another
            // range listed for the same file (a later search of the job) is written after this one.
            _ = Writing.AddOrUpdate(Path.GetFullPath(file),
                _ => Task.Run(() => TryWrite(graph, file, key), CancellationToken.None),
                (_, earlier) => earlier.ContinueWith(_ => TryWrite(graph, file, key), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default));
        }
        else
        {
            TryWrite(graph, file, key);
        }
        return graph;
    }

    /// <summary>The files being written aside, by full path.</summary>
    private static readonly ConcurrentDictionary<string, Task> Writing = new(StringComparer.Ordinal);

    /// <summary>
    /// Waits until the file written aside for <paramref name="file"/>, if any, is in place (or given up):
    /// a pass ends only after it, so no write outlives the process or lands after <see cref="Remove"/>.
    /// </summary>
    public static Task WaitForWriteAsync(string file) =>
        Writing.TryRemove(Path.GetFullPath(file), out var write) ? write : Task.CompletedTask;

    /// <summary>Removes a job's file once the job is finished (nothing will read it again).</summary>
    public static void Remove(string file)
    {
        WaitForWriteAsync(file).GetAwaiter().GetResult();
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache left behind costs disk space only.
        }
    }

    /// <summary>What the file must have been written for: the repository, the range's ends and its filter, in order.</summary>
    internal static string Key(GitRepository repo, string bad, IReadOnlyList<string> goods, RangeFilter? filter = null) =>
        string.Join('\n', ["repo " + repo.Path, "bad " + bad, .. goods.Select(g => "good " + g), .. (filter ?? RangeFilter.None).KeyLines()]);

    private static CommitGraph? TryRead(string file, string key)
    {
        // Mapped, not read: the graph's tables are views of the file (see MappedFile), which stays
        // mapped while the graph is used, even once the file is removed or replaced.
        if (MappedFile.Open(file) is not { } mapped)
        {
            return null;
        }
        var graph = CommitGraphFile.Read(mapped.Memory, key);
        if (graph is null)
        {
            ((IDisposable)mapped).Dispose();
        }
        return graph;
    }

    private static void TryWrite(CommitGraph graph, string file, string key)
    {
        // Written aside and renamed into place: a job killed while writing leaves no half a file under the name.
        var temp = file + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            bool written;
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                written = CommitGraphFile.Write(graph, key, stream);
            }
            if (written)
            {
                File.Move(temp, file, overwrite: true);
            }
            else
            {
                File.Delete(temp);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No cache: a resume lists the range again.
            Remove(temp);
        }
    }
}
