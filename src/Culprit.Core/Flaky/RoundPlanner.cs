namespace Culprit.Core.Flaky;

/// <summary>
/// Chooses the tests of a round jointly: given the first test (what <see cref="TestPlanner"/> picks
/// alone), each further worker gets the test that best splits one cell of the partition the round's
/// tests so far make of the candidates. A cell is the set of culprits under which every test of the
/// round shows the same state (for a test on t: whether the culprit is one of t's ancestors), so a
/// test that splits a cell adds information the others cannot. Within a cell the choice is
/// <see cref="TestPlanner"/>'s own (commit and run count by information per second), on the
/// posterior restricted to the cell, and cells are weighed by their mass: the rounds fall from
/// log2 towards log(K+1) of the candidates.
/// </summary>
internal static class RoundPlanner
{
    /// <summary>Only the heaviest cells are planned in: a test in a light one is worth little.</summary>
    private const int CellsTried = 3;

    /// <summary>A worker's test must be worth this much (bits of the whole posterior) or the worker stays idle.</summary>
    private const double MinimumGainBits = 0.02;

    /// <summary>The tests to add to <paramref name="first"/> for the other workers (at most workers − 1, maybe none).</summary>
    public static IReadOnlyList<TestPlan> Extend(TestPlanner.Inputs inputs, TestPlan first, int workers, int buildsLeft)
    {
        var post = inputs.Posterior;
        var anc = inputs.Ancestors;
        var n = post.Commits;
        // Bit i of a commit's key: the round's i-th test would show the new state were it the culprit.
        var key = new int[n];
        var picked = new List<TestPlan> { first };
        var runsLeft = inputs.RunsLeft - first.Runs;
        var builds = inputs.Tested.Contains(first.Commit) ? 0 : 1;
        Mark(key, anc, first.Commit, 0);
        var added = new List<TestPlan>();
        while (picked.Count < Math.Min(workers, 31) && runsLeft > 0)
        {
            TestPlan? best = null;
            var bestScore = 0.0;
            foreach (var (cell, mass) in HeaviestCells(key, post))
            {
                var within = Restricted(post, key, cell, mass);
                var plan = TestPlanner.Choose(inputs with { Posterior = within, RunsLeft = runsLeft });
                if (plan is null || picked.Any(p => p.Commit == plan.Commit) || (builds >= buildsLeft && !inputs.Tested.Contains(plan.Commit)))
                {
                    continue;
                }
                var gain = plan.Gain * mass;
                if (gain >= MinimumGainBits && gain / plan.Cost > bestScore)
                {
                    bestScore = gain / plan.Cost;
                    best = plan with { Gain = gain };
                }
            }
            if (best is null)
            {
                break;
            }
            Mark(key, anc, best.Commit, picked.Count);
            picked.Add(best);
            added.Add(best);
            runsLeft -= best.Runs;
            builds += inputs.Tested.Contains(best.Commit) ? 0 : 1;
        }
        return added;
    }

    private static void Mark(int[] key, Domain.Ancestry anc, int test, int bit)
    {
        for (var c = 0; c < key.Length; c++)
        {
            if (anc.IsAncestor(c, test))
            {
                key[c] |= 1 << bit;
            }
        }
    }

    private static IEnumerable<(int Cell, double Mass)> HeaviestCells(int[] key, PosteriorSnapshot post)
    {
        var mass = new Dictionary<int, double>();
        for (var c = 0; c < key.Length; c++)
        {
            mass[key[c]] = mass.GetValueOrDefault(key[c]) + post.ProbabilityOf(c);
        }
        return mass.Where(m => m.Value > 1e-6).OrderByDescending(m => m.Value).ThenBy(m => m.Key).Take(CellsTried).Select(m => (m.Key, m.Value));
    }

    /// <summary>The posterior given that the culprit is in the cell.</summary>
    private static PosteriorSnapshot Restricted(PosteriorSnapshot post, int[] key, int cell, double cellMass)
    {
        var masses = new double[post.Commits];
        for (var c = 0; c < masses.Length; c++)
        {
            masses[c] = key[c] == cell ? post.ProbabilityOf(c) / cellMass : 0;
        }
        return post.WithCommitMasses(masses);
    }
}
