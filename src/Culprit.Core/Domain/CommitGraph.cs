using System.Collections;

namespace Culprit.Core.Domain;

/// <summary>
/// The commits of a bisection range (ancestors of the bad commit that are not ancestors of a good
/// one), in the order <c>git rev-list</c> gives them (newest first), each with all its parents.
/// Parents outside the range are kept in the lists but are not part of the graph. Memory is linear
/// in the range: packed ids and parent indexes in flat arrays.
/// </summary>
public sealed class CommitGraph
{
    private readonly CommitIds _ids;        // the range's commits first, then parents outside it
    // Arrays for a listed range; views of the file for one read back (see CommitGraphFile).
    private readonly Memory<int> _parentStart;    // per commit, where its parents start in _parentRefs
    private readonly Memory<int> _parentRefs;     // ids' numbers (>= Count: outside the range)
    private readonly Memory<int> _rangeStart;
    private readonly Memory<int> _rangeParents;   // distinct in-range parents, first parent first
    private Ancestry? _ancestry;

    /// <summary>
    /// The bad commit (index 0) touches none of a path-limited range's paths: git bisect lists it
    /// (TREESAME) but never counts or tests it; it is the answer only when every commit that touches
    /// them is good. False for a range without paths.
    /// </summary>
    public bool TipOutsidePaths { get; }

    /// <summary>
    /// Per commit of a path-limited range (empty for any other): which of its range parents
    /// (<see cref="RangeParentsAt"/>, bit k for the k-th) are its own parents rather than the nearest
    /// listed ancestors rev-list rewrote a parent to, and, above bit 8, how many of its own parents
    /// are in the range but touch none of the paths (TREESAME to git). git bisect walks those commits
    /// (weighed 0): they decide which of its passes weighs a commit, and so which commit about
    /// halfway it meets first (see <see cref="PathParents"/>).
    /// </summary>
    private readonly Memory<int> _pathLinks;

    /// <summary>Whether the range was limited to paths and knows each commit's own parents (<see cref="PathParents"/>).</summary>
    public bool KnowsPathParents => !_pathLinks.IsEmpty;

    /// <summary>
    /// In a path-limited range, of the commit at <paramref name="index"/>: which of its range parents
    /// are its own (bit k: the k-th of <see cref="RangeParentsAt"/>; parents past the 8th count as its
    /// own), and how many of its own parents are in the range but touch none of the paths.
    /// </summary>
    public (int OwnMask, int UnlistedParents) PathParents(int index)
    {
        var links = _pathLinks.Span[index];
        return (links & 0xFF, links >> 8);
    }

    public CommitGraph(IEnumerable<(string Commit, IReadOnlyList<string> Parents)> revList)
        : this(Build(revList))
    {
    }

    private CommitGraph(Builder b)
    {
        var (ids, count, parentStart, parentRefs, tipOutsidePaths, pathLinks) = b.Finish();
        _ids = ids;
        TipOutsidePaths = tipOutsidePaths;
        _pathLinks = pathLinks;
        Count = count;
        _parentStart = parentStart;
        _parentRefs = parentRefs;
        var rangeStart = new int[count + 1];
        var range = new List<int>(parentRefs.Length);  // one copy, trimmed below
        for (var i = 0; i < count; i++)
        {
            rangeStart[i] = range.Count;
            for (var k = parentStart[i]; k < parentStart[i + 1]; k++)
            {
                var p = parentRefs[k];
                if (p < count && !Seen(range, rangeStart[i], p))
                {
                    range.Add(p);
                }
            }
        }
        rangeStart[count] = range.Count;
        _rangeStart = rangeStart;
        _rangeParents = range.ToArray();
        Commits = new Names(this);
    }

    /// <summary>A graph read back from its file (see <see cref="CommitGraphFile"/>): the same tables, ancestry included.</summary>
    private CommitGraph(CommitIds ids, int count, Memory<int> parentStart, Memory<int> parentRefs, Memory<int> rangeStart, Memory<int> rangeParents, Ancestry ancestry,
        bool tipOutsidePaths, Memory<int> pathLinks)
    {
        _ids = ids;
        TipOutsidePaths = tipOutsidePaths;
        _pathLinks = pathLinks;
        Count = count;
        _parentStart = parentStart;
        _parentRefs = parentRefs;
        _rangeStart = rangeStart;
        _rangeParents = rangeParents;
        _ancestry = ancestry;
        Commits = new Names(this);
    }

    /// <summary>Whether the graph can be written to a file (its commits are full hashes).</summary>
    internal bool CanSave => _ids.IsPacked;

    internal void Save(GraphFileIo.Writer w)
    {
        _ids.Save(w);
        w.Int(Count);
        w.Int(TipOutsidePaths ? 1 : 0);
        w.Ints(_parentStart.Span);
        w.Ints(_parentRefs.Span);
        w.Ints(_rangeStart.Span);
        w.Ints(_rangeParents.Span);
        w.Ints(_pathLinks.Span);
        Ancestry.Save(w);
    }

    internal static CommitGraph Load(GraphFileIo.Reader r)
    {
        var ids = CommitIds.Load(r);
        var count = r.Int();
        var tipOutsidePaths = r.Int() switch
        {
            0 => false,
            1 => true,
            _ => throw new InvalidDataException("the graph's tip flag is neither 0 nor 1"),
        };
        var (parentStart, parentRefs, rangeStart, rangeParents, pathLinks) = (r.Ints(), r.Ints(), r.Ints(), r.Ints(), r.Ints());
        if (count < 0 || count > ids.Count || parentStart.Length != count + 1 || rangeStart.Length != count + 1
            || parentStart.Span[count] != parentRefs.Length || rangeStart.Span[count] != rangeParents.Length || (pathLinks.Length != 0 && pathLinks.Length != count))
        {
            throw new InvalidDataException("the graph's tables do not add up");
        }
        return new CommitGraph(ids, count, parentStart, parentRefs, rangeStart, rangeParents, Ancestry.Load(r, count), tipOutsidePaths, pathLinks);
    }

    private static bool Seen(List<int> list, int from, int value)
    {
        for (var k = from; k < list.Count; k++)
        {
            if (list[k] == value)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Commits newest first, as rev-list printed them (full hashes, made on demand).</summary>
    public IReadOnlyList<string> Commits { get; }

    public int Count { get; }

    /// <summary>Reachability inside the range (built on first use).</summary>
    public Ancestry Ancestry => _ancestry ??= new Ancestry(this);

    public bool Contains(string commit) => IndexOf(commit) >= 0;

    public int IndexOf(string commit)
    {
        var i = _ids.IndexOf(commit);
        return i < Count ? i : -1;
    }

    /// <summary>All parents of a commit in the range (including parents outside the range).</summary>
    public IReadOnlyList<string> ParentsOf(string commit)
    {
        var i = IndexOf(commit);
        if (i < 0)
        {
            throw new KeyNotFoundException($"commit {commit} is not in the range");
        }
        var starts = _parentStart.Span;
        var refs = _parentRefs.Span;
        var list = new string[starts[i + 1] - starts[i]];
        for (var k = 0; k < list.Length; k++)
        {
            list[k] = _ids[refs[starts[i] + k]];
        }
        return list;
    }

    /// <summary>Whether <paramref name="commit"/> (outside the range) is a parent of a commit in it: the range's boundary.</summary>
    public bool IsBoundaryParent(string commit)
    {
        var i = _ids.IndexOf(commit);
        return i >= Count;
    }

    /// <summary>Indexes of the distinct in-range parents of the commit at <paramref name="index"/>, first parent first.</summary>
    public ReadOnlySpan<int> RangeParentsAt(int index)
    {
        var starts = _rangeStart.Span;
        return _rangeParents.Span.Slice(starts[index], starts[index + 1] - starts[index]);
    }

    /// <summary>Orders two commits by hash as git's oidcmp does (ordinal order of the hex names).</summary>
    public int CompareCommits(int a, int b) => _ids.Compare(a, b);

    /// <summary>The set of in-range ancestors of <paramref name="commit"/>, itself included.</summary>
    public HashSet<string> AncestorsOf(string commit)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var c = IndexOf(commit);
        if (c < 0)
        {
            return set;
        }
        for (var i = 0; i < Count; i++)
        {
            if (Ancestry.IsAncestor(i, c))
            {
                set.Add(Commits[i]);
            }
        }
        return set;
    }

    /// <summary>
    /// The range below <paramref name="commit"/>: its in-range ancestors, itself included, in this range's
    /// order with all their parents. What a bisection with it as the crashing end lists, whatever
    /// made this range (several good commits, first parents only).
    /// </summary>
    public CommitGraph Below(string commit)
    {
        var at = IndexOf(commit);
        if (at < 0)
        {
            throw new KeyNotFoundException($"commit {commit} is not in the range");
        }
        var inside = new bool[Count];
        Ancestry.AncestorsOf(at, inside);
        var b = new Builder();
        for (var i = 0; i < Count; i++)
        {
            if (inside[i])
            {
                b.Add(Commits[i], ParentsOf(Commits[i]));
            }
        }
        return b.Build();
    }

    /// <summary>A graph from <c>git rev-list --parents</c> lines (a commit, then its parents, separated by spaces).</summary>
    public static CommitGraph FromRevList(IEnumerable<string> lines)
    {
        var b = new Builder();
        foreach (var line in lines)
        {
            b.AddLine(line);
        }
        return new CommitGraph(b);
    }

    /// <summary>Collects a range line by line (as rev-list streams it) without keeping the lines.</summary>
    public sealed class Builder
    {
        private CommitIds _commits = new();
        private CommitIds _parents = CommitIds.AppendOnly();   // every parent named, in order
        private List<int> _parentStart = [0];

        private bool _tipOutsidePaths;
        private List<int>? _pathLinks;

        public int Count => _commits.Count;

        /// <summary>Adds the bad commit of a path-limited range that touches none of its paths (see <see cref="TipOutsidePaths"/>), first.</summary>
        public void AddTipOutsidePaths(string commit, IEnumerable<string> parents)
        {
            if (Count != 0)
            {
                throw new InvalidOperationException("the range's tip comes first");
            }
            Add(commit, parents);
            _tipOutsidePaths = true;
        }

        /// <summary>
        /// Adds one line of a path-limited <c>rev-list --parents</c> with what it rewrote (see
        /// <see cref="PathParents"/>): <paramref name="ownMask"/> bit k for the k-th distinct listed
        /// parent that is the commit's own, <paramref name="unlistedParents"/> its own parents in the range that the listing left out.
        /// </summary>
        public void AddPathLimitedLine(ReadOnlySpan<char> line, int ownMask, int unlistedParents)
        {
            if (_pathLinks is null)
            {
                _pathLinks = [];
                // The tip added first (it touches none of the paths) is never weighed: no own parents listed, none left out.
                for (var i = 0; i < Count; i++)
                {
                    _pathLinks.Add(0);
                }
            }
            AddLine(line);
            _pathLinks.Add((ownMask & 0xFF) | (Math.Min(unlistedParents, 0xFFFF) << 8));
        }

        /// <summary>Adds one <c>rev-list --parents</c> line.</summary>
        public void AddLine(ReadOnlySpan<char> line)
        {
            line = line.Trim();
            var space = line.IndexOf(' ');
            var commit = space < 0 ? line : line[..space];
            var rest = space < 0 ? [] : line[(space + 1)..];
            AddCommit(commit);
            foreach (var range in rest.Split(' '))
            {
                if (range.End.Value > range.Start.Value)
                {
                    _parents.Add(rest[range]);
                }
            }
            _parentStart.Add(_parents.Count);
        }

        public void Add(string commit, IEnumerable<string> parents)
        {
            AddCommit(commit);
            foreach (var p in parents)
            {
                _parents.Add(p);
            }
            _parentStart.Add(_parents.Count);
        }

        public CommitGraph Build() => new(this);

        private void AddCommit(ReadOnlySpan<char> commit)
        {
            var before = _commits.Count;
            if (_commits.Add(commit) != before)
            {
                throw new ArgumentException($"commit {commit} appears twice in the range");
            }
        }

        internal (CommitIds Ids, int Count, int[] ParentStart, int[] ParentRefs, bool TipOutsidePaths, int[] PathLinks) Finish()
        {
            var count = _commits.Count;
            var refs = new int[_parents.Count];
            for (var k = 0; k < refs.Length; k++)
            {
                // A parent listed as a commit is in the range; any other is on its boundary (added once).
                refs[k] = _commits.AddFrom(_parents, k);
            }
            _commits.Trim();
            if (_pathLinks is not null && _pathLinks.Count != count)
            {
                throw new InvalidOperationException("a path-limited range's lines must all say what was rewritten");
            }
            var result = (_commits, count, _parentStart.ToArray(), refs, _tipOutsidePaths, _pathLinks?.ToArray() ?? []);
            // The builder may outlive the graph's construction (a caller's local): let its parts go now.
            (_commits, _parents, _parentStart, _tipOutsidePaths, _pathLinks) = (new(), CommitIds.AppendOnly(), [0], false, null);
            return result;
        }
    }

    private static Builder Build(IEnumerable<(string Commit, IReadOnlyList<string> Parents)> revList)
    {
        var b = new Builder();
        foreach (var (commit, parents) in revList)
        {
            b.Add(commit, parents);
        }
        return b;
    }

    private sealed class Names(CommitGraph graph) : IReadOnlyList<string>
    {
        public string this[int index] => (uint)index < (uint)graph.Count ? graph._ids[index] : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => graph.Count;

        public IEnumerator<string> GetEnumerator()
        {
            for (var i = 0; i < graph.Count; i++)
            {
                yield return graph._ids[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
