using System.Numerics;
using Culprit.Core.Domain;

namespace Culprit.Core.Flaky;

/// <summary>
/// The in-range ancestors of every commit (itself included) as one bitset per commit, so that
/// "is c an ancestor of t" is a bit test and "how much of this set lies below t" a popcount.
/// 10,000 commits take 12.5 MB and a few milliseconds.
/// </summary>
internal sealed class AncestorSets
{
    private readonly ulong[] _bits;

    public AncestorSets(CommitGraph graph)
    {
        Count = graph.Count;
        Words = (Count + 63) >> 6;
        Parents = new int[Count][];
        Children = new List<int>[Count];
        for (var i = 0; i < Count; i++)
        {
            Children[i] = [];
        }
        for (var i = 0; i < Count; i++)
        {
            Parents[i] = graph.RangeParentsAt(i).Distinct().ToArray();
            foreach (var p in Parents[i])
            {
                Children[p].Add(i);
            }
        }
        _bits = new ulong[(long)Count * Words];
        foreach (var c in ParentsFirst())
        {
            var row = Row(c);
            row[c >> 6] |= 1UL << (c & 63);
            foreach (var p in Parents[c])
            {
                var parentRow = Row(p);
                for (var w = 0; w < Words; w++)
                {
                    row[w] |= parentRow[w];
                }
            }
        }
    }

    public int Count { get; }

    public int Words { get; }

    public int[][] Parents { get; }

    public List<int>[] Children { get; }

    /// <summary>Whether <paramref name="ancestor"/> is <paramref name="commit"/> or one of its ancestors.</summary>
    public bool Contains(int commit, int ancestor) =>
        (_bits[(long)commit * Words + (ancestor >> 6)] & (1UL << (ancestor & 63))) != 0;

    public Span<ulong> Row(int commit) => _bits.AsSpan((int)((long)commit * Words), Words);

    /// <summary>How many of <paramref name="mask"/>'s commits (words <paramref name="from"/> on) are ancestors of <paramref name="commit"/>.</summary>
    public int CountIn(int commit, ReadOnlySpan<ulong> mask, int from)
    {
        var row = Row(commit).Slice(from, mask.Length);
        var n = 0;
        for (var w = 0; w < mask.Length; w++)
        {
            n += BitOperations.PopCount(row[w] & mask[w]);
        }
        return n;
    }

    /// <summary>A topological order with every parent before its children (rev-list order need not be one under clock skew).</summary>
    private List<int> ParentsFirst()
    {
        var pending = new int[Count];
        var ready = new Stack<int>();
        for (var i = 0; i < Count; i++)
        {
            pending[i] = Parents[i].Length;
            if (pending[i] == 0)
            {
                ready.Push(i);
            }
        }
        var order = new List<int>(Count);
        while (ready.Count > 0)
        {
            var c = ready.Pop();
            order.Add(c);
            foreach (var child in Children[c])
            {
                if (--pending[child] == 0)
                {
                    ready.Push(child);
                }
            }
        }
        if (order.Count != Count)
        {
            throw new InvalidOperationException("the commit graph has a cycle");
        }
        return order;
    }
}
