using Culprit.Core.Domain;

namespace Culprit.Core.Flaky;

/// <summary>The next test: <paramref name="Runs"/> runs on <paramref name="Commit"/>, worth <paramref name="Gain"/> bits.</summary>
internal sealed record TestPlan(int Commit, int Runs, double Gain, double Cost);

/// <summary>
/// Chooses the commit and run count with the most expected information about the culprit per
/// second of machine time, a build weighed at its measured price and charged only to a commit not
/// built yet. With the run model, what k runs on t tell about the culprit is what they tell about
/// whether t has the bug: I(S_t; X) with X the number of runs showing the bug, which depends on t
/// only through q_t = P(t has the bug). q_t is the posterior mass of t's ancestors, a sum over the
/// ancestry service's intervals of prefix sums: every commit is scored, in time linear in the range.
/// </summary>
internal static class TestPlanner
{
    private static readonly int[] RunChoices = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80];

    private const double LiveMass = 1e-9;

    /// <summary>With a rare crash no affordable test settles a commit alone: leave it to the information rule.</summary>
    private const int MaxMinimumRuns = 12;

    public sealed record Inputs(
        PosteriorSnapshot Posterior,
        Ancestry Ancestors,
        IReadOnlySet<int> Broken,
        IReadOnlySet<int> Tested,
        double BuildSeconds,
        double RunSeconds,
        double UsefulRunFraction,
        double BrokenBuildChance,
        int RunsLeft,
        int Seed,
        double DecisiveOdds,
        bool Fix = false,
        double[]? MassBuffer = null);

    public static TestPlan? Choose(Inputs input)
    {
        var post = input.Posterior;
        var anc = input.Ancestors;
        var hi = -1;
        for (var c = 0; c < post.Commits; c++)
        {
            if (post.MassOf(post.GroupOf(c)) >= LiveMass)
            {
                hi = c;
            }
        }
        if (hi < 0)
        {
            return null;
        }
        // Each live commit's share of its group's mass, summed over ancestors by prefix sums.
        var mass = anc.PrefixSums(c =>
        {
            var g = post.GroupOf(c);
            var m = post.MassOf(g);
            return m >= LiveMass ? m / post.SizeOf(g) : 0;
        }, input.MassBuffer);

        var gains = RunGains.For(post, input.UsefulRunFraction, input.RunsLeft, MinimumRuns(post, input.UsefulRunFraction, input.DecisiveOdds));
        if (gains.Count == 0)
        {
            return null;
        }

        // A test's gain is concave in q and each run count's gain is linear between the points of its
        // table (RunGains.Points, the same for all), so among commits not built yet whose q falls
        // between two points the best is the one with the lowest or the highest q: keep those two
        // per interval and score only them (exact, and linear in the range with a small constant).
        var lowest = new int[RunGains.Points];
        var highest = new int[RunGains.Points];
        Array.Fill(lowest, -1);
        Array.Fill(highest, -1);
        var lowQ = new double[RunGains.Points];
        var highQ = new double[RunGains.Points];
        var builtOnes = new List<(int Commit, double Q)>();
        // Every commit of the range is scored: the sets are walked beside it in order, not looked up per commit.
        var broken = new AscendingMembers(input.Broken);
        var tested = new AscendingMembers(input.Tested);
        var tables = anc.Tables();
        for (var t = 1; t <= hi; t++)
        {
            if (broken.Contains(t))
            {
                continue;
            }
            var q = tables.SumBelow(t, mass);
            if (q < 1e-9 || q > 1 - 1e-9)
            {
                continue;
            }
            if (tested.Contains(t))
            {
                builtOnes.Add((t, q));
                continue;
            }
            // For a fix, the commits in the new state are the ones without the bug.
            var x = RunGains.Interval(input.Fix ? 1 - q : q);
            if (lowest[x] < 0 || q < lowQ[x])
            {
                (lowest[x], lowQ[x]) = (t, q);
            }
            if (highest[x] < 0 || q > highQ[x])
            {
                (highest[x], highQ[x]) = (t, q);
            }
        }
        var candidates = new List<(int Commit, double Q, bool Built)>();
        for (var x = 0; x < RunGains.Points; x++)
        {
            if (lowest[x] >= 0)
            {
                candidates.Add((lowest[x], lowQ[x], false));
                if (highest[x] != lowest[x])
                {
                    candidates.Add((highest[x], highQ[x], false));
                }
            }
        }
        candidates.AddRange(builtOnes.Select(b => (b.Commit, b.Q, true)));

        // Scored first by the average p and ε (the gain tables); then the commits already built and the
        // best few others again by what their state says about p and ε (PosteriorSnapshot.CellsSplitAt):
        // a commit the runs leave in doubt between "no bug, crashes at a high ε" and "the bug at a low p"
        // is worth only what more runs tell those apart, not what the average promises, and would
        // otherwise be run again and again while its doubt stays.
        var first = candidates.Select(c => (c.Commit, c.Q, c.Built, Plan: Best(input, c.Commit, c.Q, c.Built, gains, null))).ToList();
        var again = first.Where(c => c.Built).Concat(first.Where(c => !c.Built && c.Plan is not null).OrderByDescending(c => c.Plan!.Gain / c.Plan.Cost).Take(UnbuiltRescored));
        TestPlan? best = null;
        foreach (var (t, q, built, marginal) in again)
        {
            var split = post.CellsSplitAt(t, q, anc, input.Fix);
            var plan = split is null ? marginal : Best(input, t, q, built, gains, split);
            if (Better(plan, best))
            {
                best = plan;
            }
        }
        return best ?? first.Select(c => c.Plan).Aggregate((TestPlan?)null, (b, p) => Better(p, b) ? p : b);
    }

    /// <summary>How many commits not built yet are scored again with their own p and ε (the best by the average ones).</summary>
    private const int UnbuiltRescored = 6;

    /// <summary>The best run count on <paramref name="t"/>: by the gain tables, or by <paramref name="split"/> when given.</summary>
    private static TestPlan? Best(Inputs input, int t, double q, bool tested, List<RunGains> gains, (double[] WithBug, double[] WithoutBug)? split)
    {
        var builds = tested ? 1.0 : 1 - input.BrokenBuildChance;
        // A commit already built is built once: more runs on it cost only the runs.
        var buildCost = tested ? 0 : input.BuildSeconds;
        TestPlan? best = null;
        foreach (var g in gains)
        {
            var cost = buildCost + g.Runs * input.RunSeconds;
            var gain = (split is var (withBug, withoutBug) ? RunGains.SplitGain(input.Posterior.Grid, g.Runs, input.UsefulRunFraction, withBug, withoutBug)
                : g.At(input.Fix ? 1 - q : q)) * builds;
            var plan = new TestPlan(t, g.Runs, gain, cost);
            if (Better(plan, best))
            {
                best = plan;
            }
        }
        return best;
    }

    /// <summary>More gain per second; ties go to the lowest commit, then the fewest runs, whatever order the candidates came in.</summary>
    private static bool Better(TestPlan? plan, TestPlan? than)
    {
        if (plan is null || plan.Gain <= 0)
        {
            return false;
        }
        if (than is null)
        {
            return true;
        }
        var score = plan.Gain / plan.Cost;
        var other = than.Gain / than.Cost;
        return score > other || (score == other && (plan.Commit < than.Commit || (plan.Commit == than.Commit && plan.Runs < than.Runs)));
    }

    /// <summary>
    /// The fewest runs whose all-clean result alone makes "no bug here" <paramref name="odds"/> times
    /// likelier, at the estimated repro chance. The information per second alone favours many small
    /// tests whose evidence only adds up slowly; the last of them then stops the bisection just past
    /// the target confidence, where every tenth of a point of it is still at risk. Tests that each
    /// settle their commit leave the answer well past the target.
    /// </summary>
    private static int MinimumRuns(PosteriorSnapshot post, double usefulFraction, double odds)
    {
        if (odds <= 1)
        {
            return 1;
        }
        var p = Math.Clamp(post.ReproChance, 0.01, 0.99);
        var runs = (int)Math.Ceiling(Math.Log(odds) / -Math.Log(1 - p) / Math.Max(usefulFraction, 0.1));
        return Math.Min(runs, MaxMinimumRuns);
    }

    /// <summary>
    /// For one run count: the distribution of the number of runs showing the bug on a commit with the
    /// bug and on one without, over the posterior of (p, ε); the information of a test at q follows.
    /// </summary>
    private sealed class RunGains
    {
        /// <summary>The gain is a smooth concave function of q: tabulate it once per step and interpolate.</summary>
        public const int Points = 512;

        /// <summary>The interval between two table points that q falls in (0 to Points − 1).</summary>
        public static int Interval(double q) => Math.Min((int)(Math.Clamp(q, 0, 1) * Points), Points - 1);

        private readonly double[] _table = new double[Points + 1];

        private RunGains(int runs, double[] bad, double[] good)
        {
            Runs = runs;
            var badEntropy = Entropy(bad);
            var goodEntropy = Entropy(good);
            var mix = new double[bad.Length];
            for (var i = 0; i <= Points; i++)
            {
                var q = (double)i / Points;
                for (var x = 0; x < bad.Length; x++)
                {
                    mix[x] = q * bad[x] + (1 - q) * good[x];
                }
                _table[i] = Math.Max(0, Entropy(mix) - q * badEntropy - (1 - q) * goodEntropy);
            }
        }

        public int Runs { get; }

        public double At(double q)
        {
            var x = Math.Clamp(q, 0, 1) * Points;
            var i = Math.Min((int)x, Points - 1);
            var f = x - i;
            return _table[i] * (1 - f) + _table[i + 1] * f;
        }

        public static List<RunGains> For(PosteriorSnapshot post, double usefulFraction, int runsLeft, int minimumRuns)
        {
            var grid = post.Grid;
            var list = new List<RunGains>();
            foreach (var k in RunChoices)
            {
                if (k > runsLeft)
                {
                    break;
                }
                if (k < minimumRuns && k != RunChoices[^1] && k < runsLeft)
                {
                    continue;
                }
                var (bad, good) = Counts(grid, UsefulRuns(k, usefulFraction), post.CellMass, post.CellMass, 1e-9, 0);
                Normalize(bad);
                Normalize(good);
                list.Add(new RunGains(k, bad, good));
            }
            return list;
        }

        /// <summary>
        /// The information <paramref name="runs"/> runs give about a commit's state when the cells of
        /// (p, ε) go with it: the bug's runs drawn at its rate under <paramref name="withBug"/>, the
        /// clean commit's at ε under <paramref name="withoutBug"/> (each summing to its state's probability).
        /// </summary>
        public static double SplitGain(ModelGrid grid, int runs, double usefulFraction, double[] withBug, double[] withoutBug)
        {
            var total = 0.0;
            for (var c = 0; c < grid.Cells; c++)
            {
                total += withBug[c] + withoutBug[c];
            }
            var useful = UsefulRuns(runs, usefulFraction);
            var (bad, good) = Counts(grid, useful, c => withBug[c], c => withoutBug[c], 1e-9 * total, 1e-9 * total);
            var badMass = bad.Sum();
            var goodMass = good.Sum();
            if (badMass <= 0 || goodMass <= 0)
            {
                return 0;
            }
            var mix = new double[useful + 1];
            for (var x = 0; x <= useful; x++)
            {
                mix[x] = (bad[x] + good[x]) / (badMass + goodMass);
            }
            Normalize(bad);
            Normalize(good);
            var share = badMass / (badMass + goodMass);
            return Math.Max(0, Entropy(mix) - share * Entropy(bad) - (1 - share) * Entropy(good));
        }

        /// <summary>Infra errors and unrelated crashes say nothing: only the useful share of runs counts.</summary>
        private static int UsefulRuns(int runs, double usefulFraction) => Math.Max(1, (int)Math.Round(runs * usefulFraction));

        /// <summary>
        /// The (unnormalised) distributions of the number of <paramref name="useful"/> runs showing the bug: on
        /// a commit with it, each (p, ε) cell at its rate weighted by <paramref name="withBug"/>; on a clean one, at
        /// each ε weighted by the sum of <paramref name="withoutBug"/> over its cells. Weights at or below the
        /// floors are left out (they cannot move the gain, and skipping them keeps scoring fast).
        /// </summary>
        private static (double[] Bad, double[] Good) Counts(ModelGrid grid, int useful, Func<int, double> withBug, Func<int, double> withoutBug, double bugFloor, double cleanFloor)
        {
            var bad = new double[useful + 1];
            var good = new double[useful + 1];
            var eps = grid.Epsilon.Length;
            var epsMass = new double[eps];
            for (var c = 0; c < grid.Cells; c++)
            {
                epsMass[c % eps] += withoutBug(c);
                var m = withBug(c);
                if (m > bugFloor)
                {
                    AddBinomial(bad, useful, grid.BadRate[c], m);
                }
            }
            for (var e = 0; e < eps; e++)
            {
                if (epsMass[e] > cleanFloor)
                {
                    AddBinomial(good, useful, grid.Epsilon[e], epsMass[e]);
                }
            }
            return (bad, good);
        }

        /// <summary>Adds <paramref name="weight"/> times the binomial(n, rate) distribution, term by term from the last one's ratio.</summary>
        private static void AddBinomial(double[] into, int n, double rate, double weight)
        {
            if (rate <= 0 || rate >= 1)
            {
                into[rate <= 0 ? 0 : n] += weight;
                return;
            }
            // (1 − rate)^n stays above 1e-200 for the grids' rates (below 0.992) and n ≤ 80.
            var term = weight * Math.Exp(n * double.LogP1(-rate));
            var odds = rate / (1 - rate);
            for (var x = 0; x <= n; x++)
            {
                into[x] += term;
                term *= (n - x) * odds / (x + 1);
            }
        }

        private static void Normalize(double[] d)
        {
            var s = d.Sum();
            for (var i = 0; i < d.Length; i++)
            {
                d[i] /= s;
            }
        }

        private static double Entropy(double[] d)
        {
            var h = 0.0;
            foreach (var v in d)
            {
                if (v > 1e-300)
                {
                    h -= v * Math.Log2(v);
                }
            }
            return h;
        }
    }

    /// <summary>A set of commits asked about in ascending order only: sorted once, then a cursor moves along it.</summary>
    private struct AscendingMembers(IReadOnlySet<int> set)
    {
        private readonly int[] _sorted = [.. set.Order()];
        private int _next;

        /// <summary>Whether <paramref name="commit"/> is a member; each call's commit must be above the last one's.</summary>
        public bool Contains(int commit)
        {
            while (_next < _sorted.Length && _sorted[_next] < commit)
            {
                _next++;
            }
            return _next < _sorted.Length && _sorted[_next] == commit;
        }
    }
}
