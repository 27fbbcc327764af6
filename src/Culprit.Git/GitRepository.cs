using System.Globalization;
using System.Text.RegularExpressions;
using Culprit.Core.Domain;
using Culprit.Processes;

namespace Culprit.Git;

/// <summary>
/// A git repository, reached through the git CLI. Revisions and paths are passed as arguments,
/// never through a shell.
/// </summary>
public sealed partial class GitRepository
{
    private GitRepository(string path) => Path = path;

    /// <summary>The top-level directory of the repository (of a bare repository: the repository itself).</summary>
    public string Path { get; }

    /// <summary>
    /// The repository at <paramref name="path"/> or above it. A bare one (a CI fleet's mirror) serves as
    /// well: every job works in worktrees of its own and reads the tree through git, never a checkout.
    /// </summary>
    public static async Task<GitRepository> OpenAsync(string path, CancellationToken ct = default)
    {
        if (!Directory.Exists(path))
        {
            throw new GitException($"repository not found: {path}");
        }
        var result = await ProcessRunner.RunAsync(Git(path, "rev-parse", "--show-toplevel"), ct);
        if (result.Succeeded)
        {
            return new GitRepository(result.StandardOutput.Trim());
        }
        var bare = await ProcessRunner.RunAsync(Git(path, "rev-parse", "--is-bare-repository", "--absolute-git-dir"), ct);
        var lines = bare.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (bare.Succeeded && lines is ["true", var gitDir])
        {
            return new GitRepository(gitDir);
        }
        throw new GitException($"not a git repository: {path}");
    }

    /// <summary>The full hash of a revision, or a one-line error naming it.</summary>
    public async Task<string> ResolveAsync(string revision, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(revision) || revision.StartsWith('-'))
        {
            throw new GitException($"unknown revision: '{revision}'");
        }
        var result = await RunAsync(ct, "rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}");
        if (!result.Succeeded)
        {
            throw new GitException($"unknown revision: {revision}");
        }
        return result.StandardOutput.Trim();
    }

    /// <summary>
    /// Whether git takes <paramref name="paths"/> as pathspecs of this repository (a path outside it
    /// or unknown pathspec magic is an error), checked before anything is built: git parses them
    /// without walking any history (<c>rev-list --max-count=0</c>).
    /// </summary>
    public async Task CheckPathspecsAsync(string revision, IReadOnlyList<string> paths, CancellationToken ct = default)
    {
        if (paths.Count == 0)
        {
            return;
        }
        var result = await RunAsync(ct, ["rev-list", "--max-count=0", revision, "--", .. paths]);
        if (!result.Succeeded)
        {
            throw new GitException($"--paths: {result.Tail(1).Trim().Replace("fatal: ", "", StringComparison.Ordinal)}");
        }
    }

    /// <summary>
    /// Whether any commit reachable from <paramref name="newer"/> and not from <paramref name="older"/> touches
    /// <paramref name="paths"/> (<c>git rev-list --max-count=1 NEWER --not OLDER… -- PATHS</c>): git bisect
    /// refuses a range where none does ("No testable commit found").
    /// </summary>
    public async Task<bool> AnyCommitTouchesAsync(string newer, IReadOnlyList<string> older, IReadOnlyList<string> paths, CancellationToken ct = default)
    {
        var result = await CheckedAsync(ct, ["rev-list", "--max-count=1", newer, "--not", .. older, "--", .. paths]);
        return result.StandardOutput.Trim().Length > 0;
    }

    /// <summary>The one-line error for a range that no commit of touches the paths given, in git bisect's terms.</summary>
    public static string NoCommitTouches(string older, string newer, IReadOnlyList<string> paths) =>
        $"--paths: no commit between {older} and {newer} touches {string.Join(' ', paths)}: nothing to bisect (git bisect: No testable commit found)";

    /// <summary>The best common ancestors of two commits (<c>git merge-base --all</c>); empty when they share no history.</summary>
    public Task<IReadOnlyList<string>> MergeBasesAsync(string a, string b, CancellationToken ct = default) => MergeBasesAsync(a, [b], ct);

    /// <summary>
    /// The best common ancestors of <paramref name="a"/> and <paramref name="others"/> taken together, as
    /// if merged into one commit (<c>git merge-base --all A B C…</c>, what git bisect tests first).
    /// </summary>
    public async Task<IReadOnlyList<string>> MergeBasesAsync(string a, IReadOnlyList<string> others, CancellationToken ct = default)
    {
        var result = await RunAsync(ct, ["merge-base", "--all", a, .. others]);
        return result.ExitCode switch
        {
            0 => result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            1 => [],
            _ => throw new GitException($"git merge-base failed: {result.Tail(1)}"),
        };
    }

    public async Task<bool> IsAncestorAsync(string ancestor, string descendant, CancellationToken ct = default)
    {
        var result = await RunAsync(ct, "merge-base", "--is-ancestor", ancestor, descendant);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new GitException($"git merge-base failed: {result.Tail(1)}"),
        };
    }

    /// <summary>
    /// The bisection range: the commits reachable from <paramref name="bad"/> and not from any of
    /// <paramref name="goods"/>, newest first, with their parents (<c>git rev-list --parents bad
    /// --not goods</c>). The output is streamed line by line into the graph, never through a capped
    /// capture; every line must be full hashes, and the range must end where it was asked to: the
    /// bad commit in it with every commit its ancestor, each good commit a parent of one in it.
    /// </summary>
    public Task<CommitGraph> RangeAsync(string bad, IReadOnlyList<string> goods, CancellationToken ct = default) => RangeAsync(bad, goods, RangeFilter.None, ct);

    /// <summary>
    /// The range as <paramref name="filter"/> narrows it. With paths (pathspecs, as after
    /// <c>git bisect start BAD GOOD -- PATHS</c>): <c>git rev-list --parents … -- PATHS</c>, whose
    /// parents are rewritten to the nearest listed ancestors. Like git bisect, the bad commit is in
    /// the range even when it touches none of them (parented on the listed tips): it is the culprit
    /// when every listed commit is good. A range none of whose commits touches them is refused, as git
    /// bisect refuses it ("No testable commit found").
    /// With first parents only (<c>git rev-list --first-parent</c>, as <c>git bisect start
    /// --first-parent</c> lists it), each commit keeps its first parent alone: the range is a line.
    /// </summary>
    public async Task<CommitGraph> RangeAsync(string bad, IReadOnlyList<string> goods, RangeFilter filter, CancellationToken ct = default)
    {
        var builder = new CommitGraph.Builder();
        var args = new List<string> { "rev-list", "--parents" };
        if (filter.FirstParent)
        {
            args.Add("--first-parent");
        }
        args.Add(bad);
        args.Add("--not");
        args.AddRange(goods);
        args.Add("--");
        // A path-limited listing is held until its end: the bad commit may have to come first.
        List<string>? limited = filter.HasPaths ? [] : null;
        args.AddRange(filter.Paths ?? []);
        var result = await ProcessRunner.StreamLinesAsync(Git(Path, [.. args]), (ReadOnlySpan<char> line) =>
        {
            if (!IsRevListLine(line))
            {
                throw new GitException($"git rev-list printed an unexpected line: '{line}'");
            }
            if (filter.FirstParent)
            {
                line = FirstParentOnly(line);
            }
            if (limited is not null)
            {
                limited.Add(line.ToString());
            }
            else
            {
                builder.AddLine(line);
            }
        }, ct);
        if (!result.Succeeded)
        {
            var what = result.TimedOut ? "timed out" : result.Tail(1);
            throw new GitException($"git rev-list failed: {what}");
        }
        if (limited is not null)
        {
            if (limited.Count == 0)
            {
                // As git bisect: a range none of whose commits touches the paths has no commit to test (not even the bad one).
                throw new GitException(NoCommitTouches(string.Join(' ', goods), bad, filter.Paths!));
            }
            AddLimited(builder, limited, bad, await OwnParentsAsync(limited, filter.FirstParent, ct));
        }
        var graph = builder.Build();
        // A million-commit listing leaves its line strings and the builder's tables behind: free
        // them before the ancestry service allocates, so the peak is one phase, not both.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        CheckEnds(graph, bad, goods, filter.FirstParent);
        return graph;
    }

    /// <summary>A rev-list line cut after its first parent: the commit and that parent (or the commit alone).</summary>
    private static ReadOnlySpan<char> FirstParentOnly(ReadOnlySpan<char> line)
    {
        var first = line.IndexOf(' ');
        if (first < 0)
        {
            return line;
        }
        var second = line[(first + 1)..].IndexOf(' ');
        return second < 0 ? line : line[..(first + 1 + second)];
    }

    /// <summary>
    /// A path-limited listing: the bad commit first (added, parented on the listing's tips, when it
    /// touches none of the paths), then each line with what rev-list rewrote in it, from the commits'
    /// own parents (<see cref="CommitGraph.PathParents"/>): which listed parents are its own, and how many
    /// of its own parents the listing left out though they are in the range (a parent outside the
    /// range stays as it is in a rewritten line; one left out was rewritten to a listed ancestor or past
    /// the range's end).
    /// </summary>
    private static void AddLimited(CommitGraph.Builder builder, List<string> lines, string bad, Dictionary<string, string[]> ownParents)
    {
        // The caller refuses an empty listing: there is a first line. Each line split once: a commit, then its parents.
        var rows = lines.Select(l => l.Split(' ')).ToList();
        var listed = rows.Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
        if (!listed.Contains(bad))
        {
            var parents = rows.SelectMany(r => r.Skip(1)).ToHashSet(StringComparer.Ordinal);
            builder.AddTipOutsidePaths(bad, rows.Select(r => r[0]).Where(c => !parents.Contains(c)).ToList());
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var (commit, rewritten) = (rows[i][0], rows[i][1..]);
            var own = ownParents.TryGetValue(commit, out var p) ? p : throw new GitException($"git rev-list did not give the parents of {commit}");
            var mask = 0;
            var k = 0;
            foreach (var parent in rewritten.Where(listed.Contains).Distinct(StringComparer.Ordinal))
            {
                mask |= k < 8 && own.Contains(parent) ? 1 << k : 0;
                k++;
            }
            var unlisted = own.Count(q => !listed.Contains(q) && !rewritten.Contains(q));
            builder.AddPathLimitedLine(lines[i], mask, unlisted);
        }
    }

    /// <summary>
    /// Each listed commit's own parents (<c>git rev-list --no-walk --parents</c>: without paths nothing
    /// is rewritten); its first alone when the bisection follows first parents.
    /// </summary>
    private async Task<Dictionary<string, string[]>> OwnParentsAsync(List<string> lines, bool firstParent, CancellationToken ct)
    {
        var parents = new Dictionary<string, string[]>(lines.Count, StringComparer.Ordinal);
        var input = string.Join('\n', lines.Select(l => l.Split(' ')[0])) + "\n";
        var result = await ProcessRunner.StreamLinesAsync(Git(Path, "rev-list", "--no-walk=unsorted", "--parents", "--stdin") with { StandardInput = input },
            (ReadOnlySpan<char> line) =>
            {
                if (!IsRevListLine(line))
                {
                    throw new GitException($"git rev-list printed an unexpected line: '{line}'");
                }
                var words = line.ToString().Split(' ');
                parents[words[0]] = firstParent ? words[1..Math.Min(2, words.Length)] : words[1..];
            }, ct);
        if (!result.Succeeded)
        {
            throw new GitException($"git rev-list failed: {(result.TimedOut ? "timed out" : result.Tail(1))}");
        }
        return parents;
    }

    /// <summary>The range's ends are the commits asked for: a cut or garbled listing must never reach a decision.</summary>
    internal static void CheckEnds(CommitGraph graph, string bad, IReadOnlyList<string> goods, bool firstParent = false)
    {
        var tip = graph.IndexOf(bad);
        if (tip < 0)
        {
            throw new GitException($"the range does not contain the bad commit {bad} (listed {graph.Count} commits)");
        }
        if (tip != 0)
        {
            // rev-list starts its walk at the bad commit, so lists it first; the strategies rely on it.
            throw new GitException($"the range does not start at the bad commit {bad} (listed at {tip})");
        }
        var ancestry = graph.Ancestry;
        for (var i = 0; i < graph.Count; i++)
        {
            if (!ancestry.IsAncestor(i, tip))
            {
                throw new GitException($"the range holds {graph.Commits[i]}, which is not an ancestor of the bad commit {bad}");
            }
        }
        // With one good commit, it is a parent of the range's oldest commits (with several, one may lie
        // behind another; along first parents the line may leave the good commit's history at one of its ancestors).
        if (goods.Count == 1 && !firstParent && !graph.IsBoundaryParent(goods[0]))
        {
            throw new GitException($"the range does not end at the good commit {goods[0]}");
        }
    }

    /// <summary>Full hashes (40 or 64 lower-case hex digits) separated by single spaces.</summary>
    private static bool IsRevListLine(ReadOnlySpan<char> line)
    {
        // Checked vectorised (a char-by-char loop cost 0.45 s of CPU at 1.3 M lines): only hex
        // digits and spaces, then every space where a 40- or 64-digit hash ends.
        if (line.IsEmpty || line.ContainsAnyExcept(HexOrSpace))
        {
            return false;
        }
        while (true)
        {
            var space = line.IndexOf(' ');
            var hash = space < 0 ? line.Length : space;
            if (hash is not (40 or 64))
            {
                return false;
            }
            if (space < 0)
            {
                return true;
            }
            line = line[(space + 1)..];
        }
    }

    private static readonly System.Buffers.SearchValues<char> HexOrSpace = System.Buffers.SearchValues.Create("0123456789abcdef ");

    public async Task<CommitInfo> CommitInfoAsync(string commit, CancellationToken ct = default)
    {
        const string format = "%H%x00%s%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%B";
        var result = await CheckedAsync(ct, "show", "-s", "--format=" + format, commit, "--");
        var p = result.StandardOutput.Split('\0');
        return new CommitInfo(p[0], p[1], p[2], p[3], DateTimeOffset.Parse(p[4], CultureInfo.InvariantCulture), p[5], p[6], p[7].TrimEnd());
    }

    /// <summary>The parents of a commit, first parent first.</summary>
    public async Task<IReadOnlyList<string>> ParentsAsync(string commit, CancellationToken ct = default)
    {
        var result = await CheckedAsync(ct, "rev-list", "--parents", "-n", "1", commit, "--");
        return result.StandardOutput.Trim().Split(' ')[1..];
    }

    /// <summary>The commit as <c>git show --stat</c> prints it, for the culprit block of the log.</summary>
    public async Task<string> ShowStatAsync(string commit, CancellationToken ct = default)
    {
        var result = await CheckedAsync(ct, "show", "--stat", "--format=commit %H%nAuthor: %an <%ae>%nDate:   %ad%n%n%w(0,4,4)%B", commit, "--");
        // %B ends with its own newline and --stat adds another: keep one blank line, as git log does.
        var lines = result.StandardOutput.TrimEnd().Split('\n');
        return string.Join('\n', lines.Where((l, i) => !(l.Trim().Length == 0 && i > 0 && lines[i - 1].Trim().Length == 0)));
    }

    /// <summary>
    /// Files a commit changes (against its first parent), streamed as NUL-separated records: a
    /// tree-wide commit lists more than a capture keeps, and a cut list would let build avoidance
    /// miss a changed file.
    /// </summary>
    public async Task<IReadOnlyList<string>> ChangedFilesAsync(string commit, CancellationToken ct = default)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await StreamRecordsAsync(ct, (ReadOnlySpan<char> record) =>
        {
            if (record.Length > 0 && seen.Add(record.ToString()))
            {
                files.Add(record.ToString());
            }
        }, "diff-tree", "--no-commit-id", "--name-only", "-r", "--root", "-m", "--first-parent", "-z", commit);
        return files;
    }

    /// <summary>
    /// The files whose content differs between two commits' trees, each with git's status letter
    /// (A added, D deleted, M modified, T type changed; renames are a delete and an add):
    /// <c>git diff --name-status --no-renames -z FROM TO</c>.
    /// Streamed record by record (status, then path): two commits far apart differ in more files
    /// than a capture keeps, and a cut at the head of the list would pair names with wrong statuses.
    public async Task<IReadOnlyList<(char Status, string Path)>> DiffNamesAsync(string from, string to, CancellationToken ct = default)
    {
        var files = new List<(char, string)>();
        char? status = null;
        await StreamRecordsAsync(ct, (ReadOnlySpan<char> record) =>
        {
            if (status is { } s)
            {
                files.Add((s, record.ToString()));
                status = null;
            }
            else if (record.Length > 0)
            {
                status = record[0];
            }
        }, "diff", "--name-status", "--no-renames", "-z", "--no-ext-diff", from, to, "--");
        if (status is not null)
        {
            throw new GitException($"git diff --name-status {from} {to}: a status without a path at the end of the list");
        }
        return files;
    }

    /// <summary>The commit as a patch (<c>git format-patch --stdout -1</c>).</summary>
    public async Task<string> PatchAsync(string commit, CancellationToken ct = default)
    {
        var result = await CheckedAsync(ct, "format-patch", "--stdout", "-1", commit);
        return result.StandardOutput;
    }

    /// <summary>
    /// Release tags (<c>vX.Y</c> or <c>vX.Y.Z</c>, no -rc) that are ancestors of <paramref name="commit"/>
    /// (the commit itself excluded), newest version first.
    /// </summary>
    public async Task<IReadOnlyList<(string Tag, string Commit)>> ReleaseTagsBeforeAsync(string commit, CancellationToken ct = default)
    {
        // Streamed: a repository's tags grow without bound (linux-next adds one a day), and only
        // the release tags among them are kept.
        var tags = new List<(string Tag, string Commit, Version Version)>();
        var spec = Git(Path, "tag", "--merged", commit, "--format=%(refname:short) %(objectname) %(*objectname)");
        var result = await ProcessRunner.StreamLinesAsync(spec, (string line) =>
        {
            var parts = line.Split(' ');
            var m = ReleaseTag().Match(parts[0]);
            if (!m.Success)
            {
                return;
            }
            var target = parts.Length > 2 && parts[2].Length > 0 ? parts[2] : parts[1];
            if (target == commit)
            {
                return;
            }
            var version = new Version(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0);
            tags.Add((parts[0], target, version));
        }, ct);
        if (!result.Succeeded)
        {
            throw new GitException(result.TimedOut ? "git tag timed out" : $"git tag failed: {result.Tail(1)}");
        }
        return tags.OrderByDescending(t => t.Version).Select(t => (t.Tag, t.Commit)).ToList();
    }

    [GeneratedRegex(@"^v(\d+)\.(\d+)(?:\.(\d+))?$")]
    private static partial Regex ReleaseTag();

    /// <summary>Adds a detached worktree at <paramref name="path"/> checked out at <paramref name="commit"/>.</summary>
    public async Task AddWorktreeAsync(string path, string commit, CancellationToken ct = default)
    {
        using var held = await WorktreeLock.AcquireAsync(await GitCommonDirAsync(ct), ct);
        await AddWorktreeLockedAsync(path, commit, ct);
    }

    private async Task AddWorktreeLockedAsync(string path, string commit, CancellationToken ct)
    {
        if (Directory.Exists(path))
        {
            await RemoveWorktreeLockedAsync(path, ct);
        }
        await RunAsync(ct, "worktree", "prune");
        // Forced twice: a worktree left registered and locked by a process killed while adding it (git
        // locks a worktree while it initializes it) is taken over, as a resumed job must.
        await CheckedAsync(ct, "worktree", "add", "--detach", "--force", "--force", path, commit);
    }

    /// <summary>
    /// A tester's worktree at <paramref name="path"/>: the one already there when it is a sound worktree
    /// of this repository (a resumed job's), else a new one checked out at <paramref name="commit"/>.
    /// Making it anew is a checkout of the whole tree, seconds for a kernel, at every resume; a kept
    /// one holds whatever commit it last had, and every test checks its own commit out first
    /// (<see cref="CheckoutAsync"/>). One a killed git left half done (a lock file, or still marked
    /// as being added) is made anew.
    /// </summary>
    public async Task KeepOrAddWorktreeAsync(string path, string commit, CancellationToken ct = default)
    {
        var common = await GitCommonDirAsync(ct);
        using var held = await WorktreeLock.AcquireAsync(common, ct);
        if (!await IsSoundWorktreeAsync(path, common, ct))
        {
            await AddWorktreeLockedAsync(path, commit, ct);
        }
    }

    private static async Task<bool> IsSoundWorktreeAsync(string path, string common, CancellationToken ct)
    {
        if (!File.Exists(System.IO.Path.Combine(path, ".git")))
        {
            return false;
        }
        var result = await ProcessRunner.RunAsync(Git(path, "rev-parse", "--path-format=absolute", "--git-common-dir", "--git-dir"), ct);
        var dirs = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!result.Succeeded || dirs.Length != 2 || dirs[0] != common || dirs[1] == common)
        {
            return false;
        }
        return !File.Exists(System.IO.Path.Combine(dirs[1], "locked")) && Directory.GetFiles(dirs[1], "*.lock").Length == 0;
    }

    public async Task RemoveWorktreeAsync(string path, CancellationToken ct = default)
    {
        using var held = await WorktreeLock.AcquireAsync(await GitCommonDirAsync(ct), ct);
        await RemoveWorktreeLockedAsync(path, ct);
    }

    private async Task RemoveWorktreeLockedAsync(string path, CancellationToken ct)
    {
        await RunAsync(ct, "worktree", "remove", "--force", "--force", path);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        await RunAsync(ct, "worktree", "prune");
    }

    /// <summary>The git directory shared by the repository and its worktrees (where they are registered).</summary>
    private async Task<string> GitCommonDirAsync(CancellationToken ct) =>
        (await CheckedAsync(ct, "rev-parse", "--path-format=absolute", "--git-common-dir")).StandardOutput.Trim();

    /// <summary>
    /// Checks <paramref name="commit"/> out in a worktree, discarding local changes there and removing
    /// untracked files that are not ignored (<c>git clean -fd</c>): a file a build or test left
    /// behind cannot change the next commit's verdict, while ignored build outputs stay for incremental builds.
    /// </summary>
    public static async Task CheckoutAsync(string worktree, string commit, CancellationToken ct = default)
    {
        await ProcessRunner.RunCheckedAsync(Git(worktree, "checkout", "--quiet", "--detach", "--force", commit), ct);
        await ProcessRunner.RunCheckedAsync(Git(worktree, "clean", "--force", "-d", "--quiet"), ct);
    }

    /// <summary>
    /// Tells the index of <paramref name="worktree"/> that files there got new times but kept their
    /// content (<c>git update-index -q --refresh</c>, which reads only the files whose times moved): a
    /// forced checkout otherwise rewrites every file whose time the index does not hold.
    /// </summary>
    public static Task RefreshIndexAsync(string worktree, CancellationToken ct = default) =>
        ProcessRunner.RunCheckedAsync(Git(worktree, "update-index", "-q", "--refresh"), ct);

    /// <summary>
    /// Removes every file of <paramref name="worktree"/> that git does not track, ignored build outputs
    /// included (<c>git clean -ffdx</c>): the next build starts from the sources alone.
    /// </summary>
    public static Task RemoveBuildOutputsAsync(string worktree, CancellationToken ct = default) =>
        ProcessRunner.RunCheckedAsync(Git(worktree, "clean", "--force", "--force", "-d", "-x", "--quiet"), ct);

    /// <summary>
    /// Makes a commit in <paramref name="worktree"/> that reverts <paramref name="commit"/> on top of
    /// what is checked out there; returns its hash, or null when the revert does not apply. A merge
    /// is reverted against its first parent (<c>-m 1</c>): what the merge brought into the mainline.
    /// </summary>
    public static Task<string?> CommitRevertAsync(string worktree, string commit, DateTimeOffset date, bool isMerge = false, CancellationToken ct = default) =>
        CommitSequencerAsync(worktree, date, ["revert", "--no-edit", .. Mainline(isMerge), commit], ct);

    /// <summary>
    /// Makes a commit in <paramref name="worktree"/> that applies <paramref name="commit"/> on top of
    /// what is checked out there; returns its hash, or null when it does not apply. A merge brings
    /// its changes against the first parent (<c>-m 1</c>).
    /// </summary>
    public static Task<string?> CommitCherryPickAsync(string worktree, string commit, DateTimeOffset date, bool isMerge = false, CancellationToken ct = default) =>
        CommitSequencerAsync(worktree, date, ["cherry-pick", "--allow-empty", .. Mainline(isMerge), commit], ct);

    private static string[] Mainline(bool isMerge) => isMerge ? ["-m", "1"] : [];

    /// <summary>Runs git revert or cherry-pick; on a conflict aborts it and returns null, else the new HEAD.</summary>
    private static async Task<string?> CommitSequencerAsync(string worktree, DateTimeOffset date, string[] args, CancellationToken ct)
    {
        var applied = await ProcessRunner.RunAsync(IdentityGit(worktree, date, args), ct);
        if (!applied.Succeeded)
        {
            await ProcessRunner.RunAsync(Git(worktree, args[0], "--abort"), ct);
            return null;
        }
        var head = await ProcessRunner.RunCheckedAsync(Git(worktree, "rev-parse", "HEAD"), ct);
        return head.StandardOutput.Trim();
    }

    private Task<ProcessResult> RunAsync(CancellationToken ct, params string[] args) => ProcessRunner.RunAsync(Git(Path, args), ct);

    /// <summary>
    /// Runs git and returns its captured output, or throws: on failure, and when the output was more
    /// than the capture keeps (a cut text never feeds a decision; output that can be that long is
    /// streamed instead, <see cref="StreamRecordsAsync"/>).
    /// </summary>
    private async Task<ProcessResult> CheckedAsync(CancellationToken ct, params string[] args)
    {
        var spec = Git(Path, args);
        var result = await ProcessRunner.RunAsync(spec, ct);
        if (!result.Succeeded)
        {
            throw new GitException($"git {args[0]} failed: {result.Tail(1)}");
        }
        if (result.StandardOutputTruncated)
        {
            throw new GitException(FormattableString.Invariant($"git {args[0]} output exceeded {spec.MaxCapturedChars} characters"));
        }
        return result;
    }

    /// <summary>Runs git and hands each NUL-ended record of its output (a <c>-z</c> list) to <paramref name="onRecord"/>; throws on failure.</summary>
    private async Task StreamRecordsAsync(CancellationToken ct, SpanLineHandler onRecord, params string[] args)
    {
        var result = await ProcessRunner.StreamRecordsAsync(Git(Path, args), '\0', onRecord, ct);
        if (!result.Succeeded)
        {
            throw new GitException(result.TimedOut ? $"git {args[0]} timed out" : $"git {args[0]} failed: {result.Tail(1)}");
        }
    }

    private static ProcessSpec Git(string dir, params string[] args) =>
        new("git", ["-C", dir, .. args])
        {
            Environment = new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0", ["LC_ALL"] = "C" },
            Timeout = TimeSpan.FromMinutes(10),
        };

    // Commits Culprit makes for verification need an identity even where the user has none
    // configured, and a fixed date so that a resumed job makes the very same commit again.
    private static ProcessSpec IdentityGit(string dir, DateTimeOffset date, params string[] args)
    {
        var spec = Git(dir, ["-c", "user.name=Culprit", "-c", "user.email=culprit@localhost", .. args]);
        var stamp = date.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + " +0000";
        var env = new Dictionary<string, string?>(spec.Environment)
        {
            ["GIT_AUTHOR_DATE"] = stamp,
            ["GIT_COMMITTER_DATE"] = stamp,
            ["GIT_AUTHOR_NAME"] = "Culprit",
            ["GIT_AUTHOR_EMAIL"] = "culprit@localhost",
            ["GIT_COMMITTER_NAME"] = "Culprit",
            ["GIT_COMMITTER_EMAIL"] = "culprit@localhost",
        };
        return spec with { Environment = env };
    }
}
