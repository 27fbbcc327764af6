namespace Culprit.Core.Domain;

/// <summary>
/// The one answer to "is a an ancestor of c" and "how much of a set lies below c" for a range, in
/// memory linear in the range. Commits are numbered in post-order of a depth-first walk from the
/// tips that follows first parents first; each commit keeps its ancestors (itself included) as a
/// sorted list of disjoint intervals of those numbers. In a history shaped like the kernel's (a
/// mainline merging side branches) a mainline commit's ancestors are one interval and a side
/// commit's two or three, so 1.3 M commits take about 30 MB and a test is a binary search. Sums
/// over ancestors (git's weights, the flaky model's masses) are prefix sums over the numbering.
/// </summary>
public sealed class Ancestry
{
    // Arrays for a range walked here; views of the file for one read back (see CommitGraphFile).
    private readonly Memory<int> _position;   // post-order number of each commit (graph index → number)
    private readonly Memory<int> _start;      // per commit, its first interval in _intervals (pairs lo, hi)
    private readonly Memory<int> _length;     // per commit, how many intervals
    private readonly Memory<int> _intervals;
    private readonly int _intervalCount;

    internal Ancestry(CommitGraph graph)
    {
        var n = graph.Count;
        Count = n;
        var position = new int[n];
        var start = new int[n];
        var length = new int[n];
        var order = PostOrder(graph);
        for (var k = 0; k < n; k++)
        {
            position[order[k]] = k;
        }
        var store = new IntervalStore(n * 5 + 16);   // about 2.2 intervals per commit on kernel-shaped histories
        var scratch = new List<(int Lo, int Hi)>();
        foreach (var v in order)
        {
            var pv = position[v];
            var parents = graph.RangeParentsAt(v);
            start[v] = store.Count / 2;
            if (parents.Length == 1)
            {
                // A strand of pearls: the parent's list, with this commit's number appended.
                var p = parents[0];
                var from = start[p] * 2;
                var len = length[p];
                for (var k = 0; k < len - 1; k++)
                {
                    store.Add(store[from + 2 * k], store[from + 2 * k + 1]);
                }
                var (lo, hi) = (store[from + 2 * (len - 1)], store[from + 2 * (len - 1) + 1]);
                if (hi + 1 == pv)
                {
                    store.Add(lo, pv);
                }
                else
                {
                    store.Add(lo, hi);
                    store.Add(pv, pv);
                }
            }
            else
            {
                scratch.Clear();
                foreach (var p in parents)
                {
                    for (var k = 0; k < length[p]; k++)
                    {
                        scratch.Add((store[(start[p] + k) * 2], store[(start[p] + k) * 2 + 1]));
                    }
                }
                scratch.Add((pv, pv));
                scratch.Sort();
                var (lo, hi) = scratch[0];
                for (var k = 1; k < scratch.Count; k++)
                {
                    var (l, h) = scratch[k];
                    if (l <= hi + 1)
                    {
                        hi = Math.Max(hi, h);
                    }
                    else
                    {
                        store.Add(lo, hi);
                        (lo, hi) = (l, h);
                    }
                }
                store.Add(lo, hi);
            }
            length[v] = store.Count / 2 - start[v];
        }
        _intervalCount = store.Count / 2;
        _intervals = store.Items;   // kept with its slack: a copy would double the peak
        (_position, _start, _length) = (position, start, length);
    }

    public int Count { get; }

    private Ancestry(int count, Memory<int> position, Memory<int> start, Memory<int> length, Memory<int> intervals)
    {
        Count = count;
        (_position, _start, _length, _intervals) = (position, start, length, intervals);
        _intervalCount = intervals.Length / 2;
    }

    /// <summary>Writes the numbering and the intervals as they are: a resumed job reads them back instead of walking the range again.</summary>
    internal void Save(GraphFileIo.Writer w)
    {
        w.Ints(_position.Span);
        w.Ints(_start.Span);
        w.Ints(_length.Span);
        w.Ints(_intervals.Span[..(_intervalCount * 2)]);
    }

    internal static Ancestry Load(GraphFileIo.Reader r, int count)
    {
        var (tables, intervals) = ((Position: r.Ints(), Start: r.Ints(), Length: r.Ints()), r.Ints());
        if (tables.Position.Length != count || tables.Start.Length != count || tables.Length.Length != count || intervals.Length % 2 != 0)
        {
            throw new InvalidDataException("the ancestry's tables do not add up");
        }
        var position = tables.Position.Span;
        var start = tables.Start.Span;
        var length = tables.Length.Span;
        for (var c = 0; c < count; c++)
        {
            if ((uint)position[c] >= (uint)count || start[c] < 0 || length[c] < 1 || (long)start[c] + length[c] > intervals.Length / 2)
            {
                throw new InvalidDataException("the ancestry's tables do not add up");
            }
        }
        return new Ancestry(count, tables.Position, tables.Start, tables.Length, intervals);
    }


    /// <summary>Intervals kept in all (a measure of the structure's size: about 2 per commit on kernel-shaped histories).</summary>
    public int IntervalCount => _intervalCount;

    /// <summary>The commit's number in the walk's post-order (every ancestor has a smaller one).</summary>
    public int PositionOf(int commit) => _position.Span[commit];

    /// <summary>Whether <paramref name="ancestor"/> is <paramref name="commit"/> or one of its ancestors.</summary>
    public bool IsAncestor(int ancestor, int commit) => Tables().IsAncestor(ancestor, commit);

    /// <summary>
    /// The tables as spans, read once: for a pass that asks about every commit of the range, where
    /// opening the tables at every call would cost more than the answer.
    /// </summary>
    public Reader Tables() => new(_position.Span, _start.Span, _length.Span, _intervals.Span);

    /// <summary>Answers of the ancestry over its tables read once (see <see cref="Tables"/>).</summary>
    public readonly ref struct Reader(ReadOnlySpan<int> position, ReadOnlySpan<int> start, ReadOnlySpan<int> length, ReadOnlySpan<int> intervals)
    {
        private readonly ReadOnlySpan<int> _position = position;
        private readonly ReadOnlySpan<int> _start = start;
        private readonly ReadOnlySpan<int> _length = length;
        private readonly ReadOnlySpan<int> _intervals = intervals;

        /// <summary>See <see cref="Ancestry.PositionOf"/>.</summary>
        public int PositionOf(int commit) => _position[commit];

        /// <summary>See <see cref="Ancestry.IsAncestor"/>.</summary>
        public bool IsAncestor(int ancestor, int commit)
        {
            var x = _position[ancestor];
            int lo = _start[commit], hi = lo + _length[commit] - 1;
            var intervals = _intervals;
            while (lo <= hi)
            {
                var mid = (lo + hi) >> 1;
                if (x < intervals[2 * mid])
                {
                    hi = mid - 1;
                }
                else if (x > intervals[2 * mid + 1])
                {
                    lo = mid + 1;
                }
                else
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>See <see cref="Ancestry.SumBelow(int, double[])"/>.</summary>
        public double SumBelow(int commit, double[] prefix)
        {
            var sum = 0.0;
            var first = _start[commit];
            var end = first + _length[commit];
            for (var k = first; k < end; k++)
            {
                sum += prefix[_intervals[2 * k + 1] + 1] - prefix[_intervals[2 * k]];
            }
            return sum;
        }
    }

    /// <summary>
    /// Whether each commit is <paramref name="commit"/> or one of its ancestors, for all of them at once
    /// (<paramref name="into"/>, by graph index, length Count): the commit's intervals are marked on a
    /// bit per number, then each commit reads its bit. A pass over the range costs a few milliseconds
    /// at a million commits, where a search per commit (<see cref="IsAncestor"/>) costs tens.
    /// </summary>
    public void AncestorsOf(int commit, Span<bool> into)
    {
        if (into.Length != Count)
        {
            throw new ArgumentException($"a buffer of {into.Length} for a range of {Count} commits", nameof(into));
        }
        var bits = new ulong[(Count + 63) >> 6];
        var intervals = _intervals.Span;
        var first = _start.Span[commit];
        var end = first + _length.Span[commit];
        for (var k = first; k < end; k++)
        {
            MarkBits(bits, intervals[2 * k], intervals[2 * k + 1]);
        }
        var position = _position.Span;
        for (var c = 0; c < into.Length; c++)
        {
            var x = position[c];
            into[c] = (bits[x >> 6] & (1UL << (x & 63))) != 0;
        }
    }

    /// <summary>Sets bits lo..hi (inclusive), whole words at a time.</summary>
    private static void MarkBits(ulong[] bits, int lo, int hi)
    {
        int w0 = lo >> 6, w1 = hi >> 6;
        var head = ~0UL << (lo & 63);
        var tail = ~0UL >> (63 - (hi & 63));
        if (w0 == w1)
        {
            bits[w0] |= head & tail;
            return;
        }
        bits[w0] |= head;
        bits.AsSpan(w0 + 1, w1 - w0 - 1).Fill(~0UL);
        bits[w1] |= tail;
    }

    /// <summary>
    /// Prefix sums of a per-commit value over the numbering (length Count + 1), for <see cref="SumBelow(int, int[])"/>.
    /// </summary>
    /// <param name="into">A buffer of length Count + 1 to fill (a decision per step at 1.3 M commits would otherwise leave 5 MB behind each time).</param>
    public int[] PrefixCounts(Func<int, bool> member, int[]? into = null)
    {
        var byPosition = into ?? new int[Count + 1];
        Array.Clear(byPosition);
        var position = _position.Span;
        for (var c = 0; c < Count; c++)
        {
            if (member(c))
            {
                byPosition[position[c] + 1] = 1;
            }
        }
        for (var k = 1; k <= Count; k++)
        {
            byPosition[k] += byPosition[k - 1];
        }
        return byPosition;
    }

    /// <summary>Prefix sums of a per-commit weight over the numbering (length Count + 1).</summary>
    public double[] PrefixSums(Func<int, double> weight, double[]? into = null)
    {
        var byPosition = into ?? new double[Count + 1];
        byPosition[0] = 0;
        var position = _position.Span;
        for (var c = 0; c < Count; c++)
        {
            byPosition[position[c] + 1] = weight(c);
        }
        for (var k = 1; k <= Count; k++)
        {
            byPosition[k] += byPosition[k - 1];
        }
        return byPosition;
    }

    /// <summary>How many members of the set behind <paramref name="prefix"/> are ancestors of <paramref name="commit"/> (itself included).</summary>
    public int SumBelow(int commit, int[] prefix)
    {
        var sum = 0;
        var intervals = _intervals.Span;
        var first = _start.Span[commit];
        var end = first + _length.Span[commit];
        for (var k = first; k < end; k++)
        {
            sum += prefix[intervals[2 * k + 1] + 1] - prefix[intervals[2 * k]];
        }
        return sum;
    }

    /// <summary>The total weight of <paramref name="commit"/>'s ancestors (itself included).</summary>
    public double SumBelow(int commit, double[] prefix) => Tables().SumBelow(commit, prefix);

    /// <summary>Depth-first from every tip (rev-list order), first parents first; a commit is numbered once all its parents are.</summary>
    private static int[] PostOrder(CommitGraph graph)
    {
        var n = graph.Count;
        var order = new int[n];
        var done = 0;
        var state = new byte[n];            // 0 new, 1 on the stack, 2 numbered
        var stack = new int[n];
        var next = new int[n];               // per stacked commit, which parent comes next
        for (var root = 0; root < n; root++)
        {
            if (state[root] != 0)
            {
                continue;
            }
            var top = 0;
            stack[0] = root;
            next[0] = 0;
            state[root] = 1;
            while (top >= 0)
            {
                var v = stack[top];
                var parents = graph.RangeParentsAt(v);
                if (next[top] < parents.Length)
                {
                    var p = parents[next[top]++];
                    if (state[p] == 0)
                    {
                        state[p] = 1;
                        top++;
                        stack[top] = p;
                        next[top] = 0;
                    }
                    else if (state[p] == 1)
                    {
                        throw new InvalidOperationException("the commit graph has a cycle");
                    }
                    continue;
                }
                state[v] = 2;
                order[done++] = v;
                top--;
            }
        }
        return order;
    }

    /// <summary>A growable array of interval ends.</summary>
    private sealed class IntervalStore(int capacity)
    {
        private int[] _items = new int[capacity];

        public int Count { get; private set; }

        public int this[int index] => _items[index];

        public void Add(int lo, int hi)
        {
            if (Count + 2 > _items.Length)
            {
                Array.Resize(ref _items, (int)Math.Min(Array.MaxLength, _items.Length * 2L));
            }
            _items[Count++] = lo;
            _items[Count++] = hi;
        }

        public int[] Items => _items;
    }
}
