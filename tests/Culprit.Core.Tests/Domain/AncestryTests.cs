using System.Globalization;
using Culprit.Core.Domain;

namespace Culprit.Core.Tests.Domain;

/// <summary>
/// The ancestry answers "is a an ancestor of c" as a walk of the parents would, one pair at a time
/// (<see cref="Ancestry.IsAncestor"/>) and for a whole range at once (<see cref="Ancestry.AncestorsOf"/>),
/// on random histories with merges, side branches and commits whose parents lie outside the range.
/// </summary>
public sealed class AncestryTests
{
    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 130)]
    [InlineData(3, 300)]
    public void Every_commit_s_ancestors_at_once_are_those_a_walk_of_its_parents_finds(int seed, int commits)
    {
        var random = new Random(seed);
        // Commit i's parents are older commits (a lower number); some have two or three (merges), some one outside the range.
        var parents = new List<int>[commits];
        for (var i = 0; i < commits; i++)
        {
            parents[i] = i == 0 ? [] : [random.Next(Math.Max(0, i - 5), i)];
            if (i > 2 && random.NextDouble() < 0.2)
            {
                parents[i].Add(random.Next(0, i));
            }
            if (i > 3 && random.NextDouble() < 0.05)
            {
                parents[i].Add(random.Next(0, i));
            }
        }
        // rev-list order: newest first; the newest commit is the tip, and commit 0's parent is outside the range.
        var lines = Enumerable.Range(0, commits).Reverse()
            .Select(i => string.Join(' ', [Hash(i), .. (i == 0 ? [Hash(commits + 1)] : parents[i].Distinct().Select(Hash))]));
        var graph = CommitGraph.FromRevList(lines);
        var ancestry = graph.Ancestry;
        var marks = new bool[graph.Count];

        for (var c = 0; c < graph.Count; c++)
        {
            var walked = Walk(graph, c);
            ancestry.AncestorsOf(c, marks);
            for (var a = 0; a < graph.Count; a++)
            {
                Assert.Equal(walked.Contains(a), ancestry.IsAncestor(a, c));
                Assert.Equal(walked.Contains(a), marks[a]);
            }
        }
        Assert.Throws<ArgumentException>(() => ancestry.AncestorsOf(0, new bool[graph.Count + 1]));
    }

    /// <summary>The commit and every commit its parents lead to within the range.</summary>
    private static HashSet<int> Walk(CommitGraph graph, int commit)
    {
        var seen = new HashSet<int> { commit };
        var stack = new Stack<int>([commit]);
        while (stack.Count > 0)
        {
            foreach (var p in graph.RangeParentsAt(stack.Pop()))
            {
                if (seen.Add(p))
                {
                    stack.Push(p);
                }
            }
        }
        return seen;
    }

    private static string Hash(int i) => i.ToString("x40", CultureInfo.InvariantCulture);
}
