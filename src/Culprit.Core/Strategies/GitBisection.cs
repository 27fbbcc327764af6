using Culprit.Core.Domain;

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
    /// <param name="graph">The range (parents and the ancestry service).</param>
    /// <param name="candidates">Candidate indexes in rev-list order (newest first).</param>
    /// <param name="isSkipped">Whether a candidate was skipped.</param>
    /// <param name="bad">The index of the current bad commit.</param>
    /// <param name="byAncestry">
    /// Count every weight with the ancestry service: the candidates are not a closed part of the graph
    /// (commits known to build what their parent builds were left out), so a commit's parent may be
    /// no candidate while its grandparent is, and git's "one more than the parent" would miscount.
    /// Over a closed set both counts are the same number; git's order of counting is kept.
    /// </param>
    public static Pick Choose(
        CommitGraph graph,
        IReadOnlyList<int> candidates,
        Func<int, bool> isSkipped,
        int bad,
        bool anySkipped,
        Scratch? scratch = null,
        bool byAncestry = false)
    {
        scratch ??= new Scratch(graph.Count);
        // git reverses rev-list's order: oldest first.
        var nr = candidates.Count;
        var list = scratch.List;
        for (var i = 0; i < nr; i++)
        {
            list[i] = candidates[nr - 1 - i];
        }
        var inList = scratch.InList;
        Array.Fill(inList, -1);
        for (var i = 0; i < nr; i++)
        {
            inList[list[i]] = i;
        }
        var weights = ComputeWeights(graph, list, nr, inList, scratch, findAll: anySkipped, byAncestry, out var early);

        if (!anySkipped)
        {
            var best = early ?? BestBisection(list, weights, nr);
            return new Pick(list[best], weights[best], nr, []);
        }

        // best_bisection_sorted: by distance (largest first), then by hash. Only when its head is
        // skipped does filter_skipped look further, so the full sort is only needed then.
        var head = 0;
        for (var i = 1; i < nr; i++)
        {
            var d = Distance(weights[i], nr);
            var dh = Distance(weights[head], nr);
            if (d > dh || (d == dh && graph.CompareCommits(list[i], list[head]) < 0))
            {
                head = i;
            }
        }
        var reaches = weights[head];
        if (!isSkipped(list[head]))
        {
            return new Pick(list[head], reaches, nr, []);
        }
        var sorted = new int[nr];
        for (var i = 0; i < nr; i++)
        {
            sorted[i] = i;
        }
        Array.Sort(sorted, (a, b) =>
        {
            var byDistance = Distance(weights[b], nr).CompareTo(Distance(weights[a], nr));
            return byDistance != 0 ? byDistance : graph.CompareCommits(list[a], list[b]);
        });
        // filter_skipped: the best commit if it is not skipped, else all non-skipped ones.
        var filtered = sorted.Where(x => !isSkipped(list[x])).Select(x => list[x]).ToList();
        var tried = sorted.Where(x => isSkipped(list[x])).Select(x => list[x]).ToList();
        // Every counted candidate skipped (a bad commit git does not count is not among them): git has only skipped commits left.
        return new Pick(filtered.Count == 0 ? bad : SkipAway(filtered, bad), reaches, nr, tried);
    }

    private static int Distance(int weight, int nr) => Math.Min(weight, nr - weight);

    /// <summary>
    /// do_find_bisection's weights, in its order (merges first, then strands of single-parent
    /// commits pass by pass), stopping where git stops at a commit about halfway. git counts a
    /// merge's weight with a walk; the ancestry service gives the same count (interesting commits
    /// it reaches) from prefix sums, in time linear in the range.
    /// </summary>
    private static int[] ComputeWeights(CommitGraph graph, int[] list, int nr, int[] inList, Scratch scratch, bool findAll, bool byAncestry, out int? early)
    {
        var weights = scratch.Weights;
        var counted = 0;
        early = null;
        for (var i = 0; i < nr; i++)
        {
            switch (byAncestry ? 2 : InterestingParents(graph, list[i], inList))
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

        int[]? prefix = null;
        for (var i = 0; i < nr; i++)
        {
            if (weights[i] != -2)
            {
                continue;
            }
            prefix ??= graph.Ancestry.PrefixCounts(c => inList[c] >= 0, scratch.Prefix);
            weights[i] = graph.Ancestry.SumBelow(list[i], prefix);
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
                foreach (var q in graph.RangeParentsAt(list[i]))
                {
                    if (inList[q] >= 0 && weights[inList[q]] >= 0)
                    {
                        known = inList[q];
                        break;
                    }
                }
                if (known < 0 && !OnlyUnlistedParentsInRange(graph, list[i], inList))
                {
                    continue;
                }
                // A parent git walks that touches none of the paths and reaches no candidate weighs 0.
                weights[i] = (known < 0 ? 0 : weights[known]) + 1;
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

    /// <summary>
    /// git's count_interesting_parents: the commit's parents still in the bisection. In a path-limited
    /// range git counts the commit's own parents, those that touch none of the paths among them
    /// (TREESAME, in its list, weighed 0), not the listed ancestors rev-list rewrote them to: a
    /// commit whose own parent touches none of the paths is no root to git, so git weighs it in its
    /// strand pass, where it may stop at it as the commit about halfway. (A commit left out of the
    /// listing is taken to stay in the range while the commit above it does: exact on a line, where no
    /// good commit can reach one without reaching the other.)
    /// </summary>
    private static int InterestingParents(CommitGraph graph, int commit, int[] inList)
    {
        var (own, unlisted) = graph.KnowsPathParents ? graph.PathParents(commit) : (0xFF, 0);
        var interesting = unlisted;
        var k = 0;
        foreach (var p in graph.RangeParentsAt(commit))
        {
            if (inList[p] >= 0 && (k >= 8 || (own & (1 << k)) != 0))
            {
                interesting++;
            }
            k++;
        }
        return interesting;
    }

    /// <summary>Whether the commit's one parent git counts is one the listing left out, whose listed ancestors are no candidates (its weight is 0).</summary>
    private static bool OnlyUnlistedParentsInRange(CommitGraph graph, int commit, int[] inList)
    {
        if (!graph.KnowsPathParents || graph.PathParents(commit).UnlistedParents == 0)
        {
            return false;
        }
        foreach (var p in graph.RangeParentsAt(commit))
        {
            if (inList[p] >= 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// bisect.c's approx_halfway: 2w − nr within ±1, or, for large ranges, within nr/1024 (git
    /// takes 4,997 of 10,000 as halfway and stops looking).
    /// </summary>
    internal static bool ApproxHalfway(int weight, int nr)
    {
        var diff = 2 * weight - nr;
        return diff is -1 or 0 or 1 || Math.Abs(diff) < nr / 1024;
    }

    private static int BestBisection(int[] list, int[] weights, int nr)
    {
        var best = 0;
        var bestDistance = -1;
        for (var i = 0; i < nr; i++)
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

    /// <summary>Buffers for one range, reused by every decision so that none leaves megabytes behind.</summary>
    public sealed class Scratch(int count)
    {
        public int[] List { get; } = new int[count];
        public int[] InList { get; } = new int[count];
        public int[] Weights { get; } = new int[count];
        public int[] Prefix { get; } = new int[count + 1];
    }

    /// <summary>The chosen commit, how many candidates it reaches, the candidate count, and the skipped candidates.</summary>
    public sealed record Pick(int Commit, int Reaches, int All, IReadOnlyList<int> Tried);
}
