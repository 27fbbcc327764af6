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

    /// <summary>
    /// What a round's planning writes per commit, kept by the strategy from one round to the next: at a
    /// million commits they are 16 MB, which fresh memory would make cost more than the planning.
    /// </summary>
    public sealed class Buffers(int commits)
    {
        /// <summary>Bit i of a commit's key: the round's i-th test would show the new state were it the culprit.</summary>
        public int[] Key { get; } = new int[commits];

        public bool[] Below { get; } = new bool[commits];

        public double[] Masses { get; } = new double[commits];
    }

    /// <summary>The tests to add to <paramref name="first"/> for the other workers (at most workers − 1, maybe none).</summary>
    public static IReadOnlyList<TestPlan> Extend(TestPlanner.Inputs inputs, TestPlan first, int workers, int buildsLeft, Buffers buffers)
    {
        var post = inputs.Posterior;
        var anc = inputs.Ancestors;
        var key = buffers.Key;
        Array.Clear(key);
        var picked = new List<TestPlan> { first };
        var runsLeft = inputs.RunsLeft - first.Runs;
        var builds = inputs.Tested.Contains(first.Commit) ? 0 : 1;
        Mark(buffers, anc, first.Commit, 0);
        var added = new List<TestPlan>();
        while (picked.Count < Math.Min(workers, 31) && runsLeft > 0)
        {
            TestPlan? best = null;
            var bestScore = 0.0;
            foreach (var (cell, mass) in HeaviestCells(key, picked.Count, post))
            {
                var within = Restricted(post, key, cell, mass, buffers.Masses);
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
            Mark(buffers, anc, best.Commit, picked.Count);
            picked.Add(best);
            added.Add(best);
            runsLeft -= best.Runs;
            builds += inputs.Tested.Contains(best.Commit) ? 0 : 1;
        }
        return added;
    }

    private static void Mark(Buffers buffers, Domain.Ancestry anc, int test, int bit)
    {
        anc.AncestorsOf(test, buffers.Below);
        var key = buffers.Key;
        var below = buffers.Below;
        for (var c = 0; c < key.Length; c++)
        {
            if (below[c])
            {
                key[c] |= 1 << bit;
            }
        }
    }

    /// <summary>The heaviest cells of the partition <paramref name="tests"/> tests make (keys below 2^tests: a table, up to 16 tests).</summary>
    private static IEnumerable<(int Cell, double Mass)> HeaviestCells(int[] key, int tests, PosteriorSnapshot post)
    {
        IEnumerable<KeyValuePair<int, double>> masses;
        if (tests <= 16)
        {
            var table = new double[1 << tests];
            for (var c = 0; c < key.Length; c++)
            {
                table[key[c]] += post.ProbabilityOf(c);
            }
            masses = table.Select((m, cell) => KeyValuePair.Create(cell, m));
        }
        else
        {
            var mass = new Dictionary<int, double>();
            for (var c = 0; c < key.Length; c++)
            {
                mass[key[c]] = mass.GetValueOrDefault(key[c]) + post.ProbabilityOf(c);
            }
            masses = mass;
        }
        return masses.Where(m => m.Value > 1e-6).OrderByDescending(m => m.Value).ThenBy(m => m.Key).Take(CellsTried).Select(m => (m.Key, m.Value)).ToList();
    }

    /// <summary>The posterior given that the culprit is in the cell (written into <paramref name="masses"/>, which it holds until the next cell).</summary>
    private static PosteriorSnapshot Restricted(PosteriorSnapshot post, int[] key, int cell, double cellMass, double[] masses)
    {
        for (var c = 0; c < masses.Length; c++)
        {
            masses[c] = key[c] == cell ? post.ProbabilityOf(c) / cellMass : 0;
        }
        return post.WithCommitMasses(masses);
    }
}
