namespace Culprit.Core.Strategies;

/// <summary>
/// git's choice of the commit to test (bisect.c: find_bisection, best_bisection,
/// best_bisection_sorted, filter_skipped and skip_away), written over index lists so that
/// Culprit picks the same commits as <c>git bisect</c> for the same graph and verdicts.
/// </summary>
internal static class GitBisection
{
    private const int PrnModulo = 32768;

    /// <summary>The commit git would test next among <paramref name="candidates"/>.</summary>
    /// <param name="parents">In-range parents of each commit, indexed like the graph.</param>
    /// <param name="candidates">Candidate indexes in rev-list order (newest first).</param>
    /// <param name="hashOf">The hash of an index (ties are broken by hash, like git's oidcmp).</param>
    /// <param name="isSkipped">Whether a candidate was skipped.</param>
    /// <param name="bad">The index of the current bad commit.</param>
    public static Pick Choose(
        Func<int, IEnumerable<int>> parents,
        IReadOnlyList<int> candidates,
        Func<int, string> hashOf,
        Func<int, bool> isSkipped,
        int bad,
        bool anySkipped)
    {
        // git reverses rev-list's order: oldest first.
        var list = candidates.Reverse().ToArray();
        var nr = list.Length;
        var inList = new Dictionary<int, int>(nr);
        for (var i = 0; i < nr; i++)
        {
            inList[list[i]] = i;
        }
        var weights = ComputeWeights(list, inList, parents, findAll: anySkipped, out var early);

        if (!anySkipped)
        {
            var best = early ?? BestBisection(list, weights, nr);
            return new Pick(list[best], weights[best], nr, []);
        }

        var sorted = Enumerable.Range(0, nr)
            .Select(i => (Pos: i, Distance: Math.Min(weights[i], nr - weights[i])))
            .OrderByDescending(x => x.Distance)
            .ThenBy(x => hashOf(list[x.Pos]), StringComparer.Ordinal)
            .ToList();
        var reaches = weights[sorted[0].Pos];

        // filter_skipped: the best commit if it is not skipped, else all non-skipped ones.
        if (!isSkipped(list[sorted[0].Pos]))
        {
            return new Pick(list[sorted[0].Pos], reaches, nr, []);
        }
        var filtered = sorted.Where(x => !isSkipped(list[x.Pos])).Select(x => list[x.Pos]).ToList();
        var tried = sorted.Where(x => isSkipped(list[x.Pos])).Select(x => list[x.Pos]).ToList();
        return new Pick(SkipAway(filtered, bad), reaches, nr, tried);
    }

    private static int[] ComputeWeights(int[] list, Dictionary<int, int> inList, Func<int, IEnumerable<int>> parents, bool findAll, out int? early)
    {
        var nr = list.Length;
        var weights = new int[nr];
        var counted = 0;
        early = null;
        var interestingParents = new int[nr][];
        for (var i = 0; i < nr; i++)
        {
            interestingParents[i] = parents(list[i]).Where(inList.ContainsKey).Select(p => inList[p]).ToArray();
            switch (interestingParents[i].Length)
            {
                case 0:
                    weights[i] = 1;
                    counted++;
                    break;
                case 1:
                    weights[i] = -1;
                    break;
                default:
                    weights[i] = -2;
                    break;
            }
        }

        // Merges: count what they reach (git walks the graph for each; ancestor bitsets give the same counts faster).
        int[]? reach = null;
        for (var i = 0; i < nr; i++)
        {
            if (weights[i] != -2)
            {
                continue;
            }
            reach ??= ReachCounts(interestingParents);
            weights[i] = reach[i];
            if (!findAll && ApproxHalfway(weights[i], nr))
            {
                early = i;
                return weights;
            }
            counted++;
        }

        // Strands of single-parent commits: one more than their parent.
        while (counted < nr)
        {
            var progress = false;
            for (var i = 0; i < nr; i++)
            {
                if (weights[i] >= 0)
                {
                    continue;
                }
                var known = -1;
                foreach (var q in interestingParents[i])
                {
                    if (weights[q] >= 0)
                    {
                        known = q;
                        break;
                    }
                }
                if (known < 0)
                {
                    continue;
                }
                weights[i] = weights[known] + 1;
                counted++;
                progress = true;
                if (!findAll && ApproxHalfway(weights[i], nr))
                {
                    early = i;
                    return weights;
                }
            }
            if (!progress)
            {
                throw new InvalidOperationException("the commit graph has a cycle");
            }
        }
        return weights;
    }

    /// <summary>For every commit, how many commits of the list it reaches (itself included).</summary>
    private static int[] ReachCounts(int[][] parents)
    {
        var n = parents.Length;
        var words = (n + 63) / 64;
        var sets = new ulong[n][];
        var counts = new int[n];
        foreach (var i in TopologicalOrder(parents))
        {
            var set = new ulong[words];
            set[i / 64] |= 1UL << (i % 64);
            foreach (var p in parents[i])
            {
                var ps = sets[p];
                for (var w = 0; w < words; w++)
                {
                    set[w] |= ps[w];
                }
            }
            sets[i] = set;
            var c = 0;
            for (var w = 0; w < words; w++)
            {
                c += System.Numerics.BitOperations.PopCount(set[w]);
            }
            counts[i] = c;
        }
        return counts;
    }

    /// <summary>Parents before children (rev-list's date order does not promise it when clocks are skewed).</summary>
    private static List<int> TopologicalOrder(int[][] parents)
    {
        var n = parents.Length;
        var children = new List<int>[n];
        var waiting = new int[n];
        var ready = new Stack<int>();
        for (var i = 0; i < n; i++)
        {
            waiting[i] = parents[i].Length;
            foreach (var p in parents[i])
            {
                (children[p] ??= []).Add(i);
            }
        }
        for (var i = n - 1; i >= 0; i--)
        {
            if (waiting[i] == 0)
            {
                ready.Push(i);
            }
        }
        var order = new List<int>(n);
        while (ready.Count > 0)
        {
            var i = ready.Pop();
            order.Add(i);
            foreach (var c in children[i] ?? [])
            {
                if (--waiting[c] == 0)
                {
                    ready.Push(c);
                }
            }
        }
        if (order.Count != n)
        {
            throw new InvalidOperationException("the commit graph has a cycle");
        }
        return order;
    }

    private static bool ApproxHalfway(int weight, int nr) => Math.Abs(2 * weight - nr) <= 1;

    private static int BestBisection(int[] list, int[] weights, int nr)
    {
        var best = 0;
        var bestDistance = -1;
        for (var i = 0; i < list.Length; i++)
        {
            var distance = Math.Min(weights[i], nr - weights[i]);
            if (distance > bestDistance)
            {
                best = i;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int SkipAway(List<int> list, int bad)
    {
        var count = list.Count;
        var prn = (int)Prn((uint)count);
        var index = count * prn / PrnModulo * SqrtI(prn) / SqrtI(PrnModulo);
        for (var i = 0; i < list.Count; i++)
        {
            if (i == index)
            {
                if (list[i] != bad)
                {
                    return list[i];
                }
                return i > 0 ? list[i - 1] : list[0];
            }
        }
        return list[0];
    }

    private static uint Prn(uint count)
    {
        unchecked
        {
            count = count * 1103515245u + 12345u;
        }
        return count / 65536u % PrnModulo;
    }

    // git's float Newton iteration, kept in single precision so it rounds the same way.
    private static int SqrtI(int val)
    {
        if (val == 0)
        {
            return 0;
        }
        float x = val;
        float d;
        do
        {
            var y = (x + val / x) / 2;
            d = y > x ? y - x : x - y;
            x = y;
        }
        while (d >= 0.5f);
        return (int)x;
    }

    /// <summary>git's estimate of the steps left for <paramref name="all"/> candidates.</summary>
    public static int EstimateSteps(int all)
    {
        if (all < 3)
        {
            return 0;
        }
        var n = 31 - int.LeadingZeroCount(all);
        var e = 1 << n;
        var x = all - e;
        return e < 3 * x ? n : n - 1;
    }

    /// <summary>The chosen commit, how many candidates it reaches, the candidate count, and the skipped candidates.</summary>
    public sealed record Pick(int Commit, int Reaches, int All, IReadOnlyList<int> Tried);
}
