namespace Culprit.Kernel.Build;

/// <summary>
/// How one worker's empty O= directory starts from another build directory instead of from nothing:
/// another worker's of the same job, which copies its O= aside for this worker at the end of its next
/// finished build (its directory still held, so the copy is whole and this worker need not wait for
/// the build after it), or, when none was put aside, this worker copies it between two of its builds;
/// or the finished build another job left on the machine (<see cref="FromFinishedBuild"/>).
/// The copy is then made right for this worker's checkout (<see cref="BuildDirectoryCopy"/>).
/// </summary>
public sealed class BuildDirectorySeed
{
    /// <summary>The worker of this job whose O= directory is copied; null for another job's build.</summary>
    private readonly KernelBuilder? _from;
    private readonly string _fromSource;
    private readonly string _fromOutput;
    private readonly Func<string, string, CancellationToken, Task<IReadOnlyList<string>>> _changedFiles;
    private readonly Func<CancellationToken, Task>? _timesChanged;

    /// <param name="from">The builder whose O= directory is copied.</param>
    /// <param name="changedFiles">The paths (relative to the tree) whose content differs between two commits, renames as a delete and an add (git, which the kernel layer does not call).</param>
    /// <param name="timesChanged">
    /// Told that files of the checkout got new times, not new content: git's index must learn it
    /// (<c>git update-index --refresh</c>), or its next forced checkout rewrites them and make rebuilds what they reach.
    /// </param>
    public BuildDirectorySeed(
        KernelBuilder from,
        Func<string, string, CancellationToken, Task<IReadOnlyList<string>>> changedFiles,
        Func<CancellationToken, Task>? timesChanged = null)
        : this(from, from.Options.SourceDirectory, from.Options.OutputDirectory, changedFiles, timesChanged)
    {
    }

    private BuildDirectorySeed(
        KernelBuilder? from, string fromSource, string fromOutput,
        Func<string, string, CancellationToken, Task<IReadOnlyList<string>>> changedFiles,
        Func<CancellationToken, Task>? timesChanged)
    {
        _from = from;
        _fromSource = Path.GetFullPath(fromSource);
        _fromOutput = Path.GetFullPath(fromOutput);
        _changedFiles = changedFiles;
        _timesChanged = timesChanged;
    }

    /// <summary>
    /// The finished build another job left in <paramref name="output"/>, checked out from
    /// <paramref name="source"/> (which may be gone): that job's process may build there again at
    /// any time, so a copy during which a build started there is thrown away.
    /// </summary>
    public static BuildDirectorySeed FromFinishedBuild(
        string source, string output,
        Func<string, string, CancellationToken, Task<IReadOnlyList<string>>> changedFiles,
        Func<CancellationToken, Task>? timesChanged = null) =>
        new(null, source, output, changedFiles, timesChanged);

    private readonly Lock _lock = new();
    private KernelBuilder? _to;
    private string? _stagedCommit;
    private bool _used;

    /// <summary>Where the copy is made before it becomes the O= directory.</summary>
    private string Staging => Output(_to!).TrimEnd('/') + ".copying";

    /// <summary>Called once by the builder this seed is for (<see cref="KernelBuilder"/>'s constructor): the other builder puts a copy aside for it from now on.</summary>
    internal void Register(KernelBuilder to)
    {
        _to = to;
        _from?.AddWaitingCopy(this);
    }

    /// <summary>
    /// Called by the other builder at the end of a finished build of <paramref name="commit"/>, its O=
    /// directory held: copies it aside unless this worker has built already. Returns whether this seed
    /// still waits (false once a copy is put aside or no longer wanted).
    /// </summary>
    internal async Task<bool> StageAsync(string fromOutput, string commit, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_used || _stagedCommit is not null)
            {
                return false;
            }
        }
        if (HasEntries(Output(_to!)))
        {
            return false; // a build of its own is there already (a resumed job)
        }
        try
        {
            DeleteStaging();
            await BuildDirectoryCopy.CopyAsync(fromOutput, Staging, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DeleteStaging();
            return true; // this worker copies it itself when it builds
        }
        lock (_lock)
        {
            _stagedCommit = commit;
        }
        return false;
    }

    /// <summary>
    /// Fills the empty O= directory of the builder this seed is for with the other builder's last
    /// finished build, made right for <paramref name="commit"/> checked out here. Returns the log's
    /// note, or null when there is nothing finished to copy; a copy that fails leaves the directory empty.
    /// </summary>
    internal async Task<string?> FillAsync(string commit, CancellationToken ct)
    {
        var to = _to!;
        var output = Output(to);
        var fromOutput = _fromOutput;
        try
        {
            var builtCommit = TakeStaged();
            if (builtCommit is null)
            {
                if (_from is not null)
                {
                    await _from.OutputGate.WaitAsync(ct);
                }
                try
                {
                    // Put aside while this worker waited for the other's build.
                    builtCommit = TakeStaged() ?? await CopyFinishedBuildAsync(ct);
                    if (builtCommit is null)
                    {
                        return null;
                    }
                }
                finally
                {
                    _from?.OutputGate.Release();
                }
            }
            var changed = await _changedFiles(builtCommit, commit, ct);
            var source = Path.GetFullPath(to.Options.SourceDirectory);
            BuildDirectoryCopy.Relocate(Staging, _fromSource, fromOutput, source, output);
            if (BuildDirectoryCopy.SetTimes(Staging, source, changed) > 0 && _timesChanged is not null)
            {
                await _timesChanged(ct);
            }
            if (Directory.Exists(output))
            {
                Directory.Delete(output);
            }
            Directory.Move(Staging, output);
            var differ = changed.Count == 1 ? "1 file differs" : $"{changed.Count} files differ";
            return $"O= directory started from a copy of {fromOutput} (its build of {builtCommit}; {differ}): not built from scratch";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DeleteStaging();
            return $"could not copy the build directory of {fromOutput} ({ex.Message.Split('\n')[0]}): building from scratch";
        }
    }

    /// <summary>
    /// Copies the other directory's last finished build to the staging folder and returns its commit,
    /// or null when none finished there. Another process may start a build there while it is copied
    /// (another job's directory is held by no gate here): then the copy may mix two builds and is not used.
    /// </summary>
    private async Task<string?> CopyFinishedBuildAsync(CancellationToken ct)
    {
        var before = BuildDirectoryCopy.FinishedBuild(_fromOutput);
        if (before is null)
        {
            return null;
        }
        DeleteStaging();
        await BuildDirectoryCopy.CopyAsync(_fromOutput, Staging, ct);
        if (BuildDirectoryCopy.FinishedBuild(_fromOutput) != before)
        {
            throw new IOException("a build started there while it was copied");
        }
        return before.Value.Commit;
    }

    private string? TakeStaged()
    {
        lock (_lock)
        {
            _used = true;
            var staged = _stagedCommit;
            _stagedCommit = null;
            return staged;
        }
    }

    private void DeleteStaging()
    {
        if (Directory.Exists(Staging))
        {
            Directory.Delete(Staging, recursive: true);
        }
    }

    private static string Output(KernelBuilder builder) => Path.GetFullPath(builder.Options.OutputDirectory);

    internal static bool HasEntries(string directory) => Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any();
}
