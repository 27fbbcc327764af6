using Culprit.Core.Domain;

namespace Culprit.Core.Simulation;

/// <summary>
/// Generates a kernel-like history: a mainline into which topic branches of a few to a hundred-odd
/// commits are merged, some branches forked from before the range (so the range has several roots).
/// The newest mainline commit is the bad commit; every commit is its ancestor.
/// </summary>
internal static class HistoryGenerator
{
    private const double BranchChance = 0.25;
    private const double ForkFromOutsideChance = 0.1;
    private const int MaxForkDistance = 300;

    /// <summary>The graph in rev-list order (newest first).</summary>
    public static CommitGraph Generate(SimRandom rng, int commits)
    {
        var created = new List<(string Hash, string[] Parents)>(commits);
        var mainline = new List<string>();
        var tip = rng.NextHash();
        while (created.Count < commits)
        {
            var left = commits - created.Count;
            if (left >= 3 && rng.Chance(BranchChance))
            {
                var length = Math.Min(left - 1, (int)Math.Exp(rng.NextDouble() * Math.Log(150)));
                var fork = mainline.Count == 0 || rng.Chance(ForkFromOutsideChance)
                    ? rng.NextHash()
                    : mainline[mainline.Count - 1 - rng.Next(Math.Min(MaxForkDistance, mainline.Count))];
                var previous = fork;
                for (var i = 0; i < length; i++)
                {
                    previous = Add(created, rng, [previous]);
                }
                tip = Add(created, rng, [tip, previous]);
            }
            else
            {
                tip = Add(created, rng, [tip]);
            }
            mainline.Add(tip);
        }
        created.Reverse();
        return new CommitGraph(created.Select(c => (c.Hash, (IReadOnlyList<string>)c.Parents)));
    }

    private static string Add(List<(string, string[])> created, SimRandom rng, string[] parents)
    {
        var hash = rng.NextHash();
        created.Add((hash, parents));
        return hash;
    }
}
