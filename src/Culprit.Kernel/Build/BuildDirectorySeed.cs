namespace Culprit.Kernel.Build;

/// <summary>
/// How one worker's empty O= directory starts from another worker's build (the job's first), instead
/// of from nothing: the other builder copies its O= aside for this worker at the end of its next
/// finished build (its directory still held, so the copy is whole and this worker need not wait for
/// the build after it), or, when none was put aside, this worker copies it between two of its builds.
/// The copy is then made right for this worker's checkout (<see cref="BuildDirectoryCopy"/>).
/// </summary>
/// <param name="from">The builder whose O= directory is copied.</param>
/// <param name="changedFiles">The paths (relative to the tree) whose content differs between two commits, renames as a delete and an add (git, which the kernel layer does not call).</param>
/// <param name="timesChanged">
/// Told that files of the checkout got new times, not new content: git's index must learn it
/// (<c>git update-index --refresh</c>), or its next forced checkout rewrites them and make rebuilds what they reach.
/// </param>
public sealed class BuildDirectorySeed(
    KernelBuilder from,
    Func<string, string, CancellationToken, Task<IReadOnlyList<string>>> changedFiles,
    Func<CancellationToken, Task>? timesChanged = null)
{
    private readonly Lock _lock = new();
    private KernelBuilder? _to;
    private string? _stagedCommit;
    private bool _used;

    public KernelBuilder From => from;

    /// <summary>Where the copy is made before it becomes the O= directory.</summary>
    private string Staging => Output(_to!).TrimEnd('/') + ".copying";

    /// <summary>Called once by the builder this seed is for (<see cref="KernelBuilder"/>'s constructor): the other builder puts a copy aside for it from now on.</summary>
    internal void Register(KernelBuilder to)
    {
        _to = to;
        from.AddWaitingCopy(this);
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
        var fromOutput = Output(from);
        try
        {
            var builtCommit = TakeStaged();
            if (builtCommit is null)
            {
                await from.OutputGate.WaitAsync(ct);
                try
                {
                    // Put aside while this worker waited for the other's build.
                    builtCommit = TakeStaged();
                    if (builtCommit is null)
                    {
                        builtCommit = BuildDirectoryCopy.BuiltCommit(fromOutput);
                        if (builtCommit is null)
                        {
                            return null;
                        }
                        DeleteStaging();
                        await BuildDirectoryCopy.CopyAsync(fromOutput, Staging, ct);
                    }
                }
                finally
                {
                    from.OutputGate.Release();
                }
            }
            var changed = await changedFiles(builtCommit, commit, ct);
            var source = Path.GetFullPath(to.Options.SourceDirectory);
            BuildDirectoryCopy.Relocate(Staging, Path.GetFullPath(from.Options.SourceDirectory), fromOutput, source, output);
            if (BuildDirectoryCopy.SetTimes(Staging, source, changed) > 0 && timesChanged is not null)
            {
                await timesChanged(ct);
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
