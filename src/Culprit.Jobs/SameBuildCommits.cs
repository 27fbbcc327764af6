using Culprit.Git;
using Culprit.Kernel.Build;

namespace Culprit.Jobs;

/// <summary>
/// Which commits of the range build exactly what their first parent builds, found from the inputs
/// of the job's builds before the strategy chooses what to test: the strategy is told
/// (<c>IBisectionStrategy.BuildsSameAsParent</c>), so they are no candidates, never tested and never
/// named the culprit. Two streamed <c>git log</c>s over the range give every commit's own change
/// (<see cref="GitRepository.OwnChangesAsync"/>: its files, and those whose diff adds or removes a
/// preprocessor or assembler include line); nothing runs per commit.
/// <para>
/// Why a commit C with first parent P may be dropped. A build is a deterministic function of the
/// files it reads; I_X is the set a build of X reads. If C's change touches no file of I_P and adds,
/// deletes or retypes no file in a directory holding one (a wildcard or a new source could pick it
/// up), C's build reads the same files with the same content: the same kernel, so the same verdict
/// as P, and C cannot be the first commit with the bug. The job knows I_B only for a built commit B,
/// so it needs I_P = I_B. Which files a build reads is decided by the Makefiles, Kbuild, Kconfig and
/// scripts (all of them are in every kernel build's inputs, <see cref="BuildInputs"/>), by the
/// preprocessor lines of the files it reads (#include, #if…, #define, …, assembler .include and
/// .incbin), by the config (fixed for the job) and by which files exist next to the inputs. A commit
/// X "keeps" I_B when its change touches none of those: no shaping file (<see cref="BuildInputs.IsShapingFile"/>),
/// no preprocessor line in a file of I_B, no file of I_B added, deleted or retyped, no file added or
/// deleted in a directory holding one. Then its parent and it read the same set of files (edits to
/// the code of a file of I_B change the kernel, not the set). So I_P = I_B along a first-parent chain
/// from B to P (either way) on which every commit between keeps I_B; one commit that does not makes
/// every commit past it "in doubt", and a commit in doubt is built as usual. The union of several
/// builds' inputs is not used: it bounds only those builds' sets, not P's.
/// </para>
/// <para>
/// Still assumed: a build reads nothing outside its dependency files and the shaping files (no
/// firmware or data file named only in C code, no file a script finds by listing a directory without
/// inputs), and a build that failed fails the same way on the same files (a dropped commit next to a
/// broken one is simply not tested). A path git has to quote, or a merge's change, is judged by its
/// diff against its first parent like any commit.
/// </para>
/// </summary>
internal sealed class SameBuildCommits(GitRepository repo, BuildAvoidance avoidance, OutcomeLedger ledger, string product)
{
    /// <summary>A diff line that may change which files a build reads (extended regex for <c>git log -G</c>).</summary>
    private const string PreprocessorLine = @"^[[:space:]]*(#|\.include|\.incbin)";

    private Dictionary<string, Change>? _changes;
    private Dictionary<string, List<string>>? _children;
    private readonly HashSet<string> _considered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dropped = new(StringComparer.Ordinal);

    /// <summary>How many commits were found so far.</summary>
    public int Count => _dropped.Count;

    /// <summary>Whether any commit tested so far has recorded build inputs: only then is the range worth reading.</summary>
    public bool AnyInputs() => ledger.CommitsSoFar().Any(c => avoidance.InputsOf(c) is not null);

    /// <summary>Reads every commit's own change in <c>newEnd --not oldEnd</c>: one <c>git log --name-status</c>, one with <c>-G</c>.</summary>
    public async Task LoadAsync(string newEnd, string oldEnd, CancellationToken ct)
    {
        var changes = new Dictionary<string, Change>(StringComparer.Ordinal);
        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await repo.OwnChangesAsync(newEnd, [oldEnd], null, c =>
        {
            changes[c.Commit] = new Change(c.Parents.Count > 0 ? c.Parents[0] : null, c.Files);
            if (c.Parents.Count > 0)
            {
                (children.TryGetValue(c.Parents[0], out var list) ? list : children[c.Parents[0]] = []).Add(c.Commit);
            }
        }, ct);
        await repo.OwnChangesAsync(newEnd, [oldEnd], PreprocessorLine, c =>
        {
            if (changes.TryGetValue(c.Commit, out var change))
            {
                change.Preprocessor.UnionWith(c.Files.Select(f => f.Path));
            }
        }, ct);
        _changes = changes;
        _children = children;
    }

    /// <summary>
    /// The commits found since the last call (each build tested so far is used once, in the order
    /// tested, so a resume finds the same ones at the same points), newest first, with what each touches.
    /// Empty until <see cref="LoadAsync"/>.
    /// </summary>
    public IReadOnlyList<(string Commit, string Touches)> FindNew()
    {
        if (_changes is null)
        {
            return [];
        }
        var found = new List<string>();
        foreach (var built in ledger.CommitsSoFar())
        {
            if (_considered.Contains(built) || avoidance.InputsOf(built) is not { } inputs)
            {
                continue;
            }
            _considered.Add(built);
            var sameInputs = StretchOf(built, inputs);
            foreach (var (commit, change) in _changes)
            {
                if (change.FirstParent is { } parent && sameInputs.Contains(parent) && !_dropped.Contains(commit) && CannotChange(change, inputs))
                {
                    _dropped.Add(commit);
                    found.Add(commit);
                }
            }
        }
        // _changes is in git log's order (newest first); found follows it per build.
        return found.Select(c => (c, BuildAvoidance.Describe(_changes[c].Files.Select(f => f.Path).Distinct().ToList()))).ToList();
    }

    /// <summary>The log lines for commits <see cref="FindNew"/> returned.</summary>
    public IEnumerable<string> Lines(IReadOnlyList<(string Commit, string Touches)> found)
    {
        var commits = found.Count == 1 ? "commit cannot" : "commits cannot";
        var touch = found.Count == 1 ? "touches" : "touch";
        yield return $"{found.Count} {commits} change the {product} ({touch} only files the build did not read): not candidates";
        foreach (var (commit, touches) in found)
        {
            yield return $"commit {commit} cannot change the {product} ({touches}): same as its parent";
        }
    }

    /// <summary>
    /// The commits whose build reads exactly the files <paramref name="built"/>'s build read: those
    /// joined to it by first-parent links over commits that keep the set (see the class comment).
    /// </summary>
    private HashSet<string> StretchOf(string built, BuildAvoidance.Inputs inputs)
    {
        var stretch = new HashSet<string>(StringComparer.Ordinal) { built };
        // Older: B's parent reads B's set when B's own change keeps it, and so on down.
        var x = built;
        while (_changes!.TryGetValue(x, out var change) && change.FirstParent is { } parent && Keeps(change, inputs))
        {
            stretch.Add(parent);
            x = parent;
        }
        // Newer: a first-parent child reads its parent's set when its own change keeps it.
        var queue = new Queue<string>([built]);
        while (queue.Count > 0)
        {
            foreach (var child in _children!.GetValueOrDefault(queue.Dequeue()) ?? [])
            {
                if (Keeps(_changes[child], inputs) && stretch.Add(child))
                {
                    queue.Enqueue(child);
                }
            }
        }
        return stretch;
    }

    /// <summary>Whether a change leaves the set of files a build reads as it is (the class comment's "keeps").</summary>
    private static bool Keeps(Change change, BuildAvoidance.Inputs inputs) => change.Files.All(f =>
        f.Status != '?' && !BuildInputs.IsShapingFile(f.Path)
        && (!inputs.Contains(f.Path) || (f.Status == 'M' && !change.Preprocessor.Contains(f.Path)))
        && (f.Status == 'M' || !inputs.HoldsDirectoryOf(f.Path)));

    /// <summary>Whether a change touches nothing the build read (so, its parent reading the same set, it builds the same).</summary>
    private static bool CannotChange(Change change, BuildAvoidance.Inputs inputs) => change.Files.All(f =>
        f.Status != '?' && !BuildInputs.IsShapingFile(f.Path) && !inputs.Contains(f.Path) && (f.Status == 'M' || !inputs.HoldsDirectoryOf(f.Path)));

    private sealed record Change(string? FirstParent, IReadOnlyList<(char Status, string Path)> Files)
    {
        /// <summary>Files whose diff adds or removes a preprocessor or assembler include line.</summary>
        public HashSet<string> Preprocessor { get; } = new(StringComparer.Ordinal);
    }
}
