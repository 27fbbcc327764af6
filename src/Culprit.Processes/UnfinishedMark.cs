namespace Culprit.Processes;

/// <summary>
/// A file that exists while work that leaves files behind goes on (a build in its output directory),
/// so the next start can tell that the last one never finished: killed with its machine, cancelled,
/// timed out. Its half-written outputs carry fresh times, and make, which trusts times, would take a
/// truncated object or binary for an up-to-date one: such a directory is not built in incrementally.
/// </summary>
public sealed class UnfinishedMark(string path)
{
    /// <summary>The mark of builds in <paramref name="directory"/> (a worktree, an O= directory): <c>DIR.build-unfinished</c>, beside it.</summary>
    public static UnfinishedMark ForBuildIn(string directory) => new(directory.TrimEnd('/') + ".build-unfinished");

    /// <summary>Whether the last work under this mark started and never ended.</summary>
    public bool Found => File.Exists(path);

    /// <summary>Marks the work as going on; written through, so that a machine that dies next still shows it.</summary>
    public void Set()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough);
        file.Write(System.Text.Encoding.ASCII.GetBytes($"started by process {Environment.ProcessId} at {DateTimeOffset.UtcNow:O}\n"));
        file.Flush(flushToDisk: true);
    }

    /// <summary>The work ended (well or not) with every process it started: its outputs are whole.</summary>
    public void Clear() => File.Delete(path);
}
