namespace Culprit.TestSupport;

/// <summary>
/// A random commit history as the git-equivalence tests make theirs, by number (0 is the root, the
/// last is the tip): branches forked from any earlier commit, heads merged pairwise, and a tip that
/// merges every head left (an octopus when there are several), so every commit is its ancestor.
/// One culprit (<see cref="HasBug"/>: it and its descendants) and some broken builds (never the
/// root or the tip). The same <see cref="Random"/> state gives the same history.
/// </summary>
public sealed record RandomHistory(IReadOnlyList<int[]> Parents, int Culprit, bool[] HasBug, HashSet<int> Broken)
{
    public int Count => Parents.Count;

    public static RandomHistory Generate(Random rng, int commits, double mergeRate, double brokenRate)
    {
        var parents = new List<int[]> { Array.Empty<int>() };
        var heads = new List<int> { 0 };
        while (parents.Count < commits - 1)
        {
            var roll = rng.NextDouble();
            var id = parents.Count;
            if (roll < mergeRate && heads.Count > 1)
            {
                var a = rng.Next(heads.Count);
                var b = (a + 1 + rng.Next(heads.Count - 1)) % heads.Count;
                parents.Add([heads[a], heads[b]]);
                heads[a] = id;
                heads.RemoveAt(b);
            }
            else if (roll < mergeRate * 2)
            {
                // A new branch from some earlier commit.
                parents.Add([rng.Next(id)]);
                heads.Add(id);
            }
            else
            {
                var h = rng.Next(heads.Count);
                parents.Add([heads[h]]);
                heads[h] = id;
            }
        }
        parents.Add([.. heads]);
        var n = parents.Count;
        var culprit = 1 + rng.Next(n - 1);
        var hasBug = new bool[n];
        for (var i = 0; i < n; i++)
        {
            hasBug[i] = i == culprit || parents[i].Any(p => hasBug[p]);
        }
        var broken = new HashSet<int>();
        for (var i = 1; i < n - 1; i++)
        {
            if (rng.NextDouble() < brokenRate)
            {
                broken.Add(i);
            }
        }
        return new RandomHistory(parents, culprit, hasBug, broken);
    }
}
