namespace Culprit.Core.Flaky;

/// <summary>
/// The grid of run-model parameters the posterior is kept over: <c>p</c>, the chance a run on a
/// commit with the bug shows it, and <c>ε</c>, the chance a run shows a crash counted as the bug
/// on a commit without it (an unrelated crash whose title was taken for the bug's, or any
/// unrelated crash under the any-crash policy). A cell is one (p, ε) pair.
/// </summary>
internal sealed class ModelGrid
{
    /// <summary>
    /// With title matching, a crash counted as the bug on a commit without it is rare: crashes of
    /// other bugs are background under some hypothesis (see <see cref="BugHypotheses"/>), so ε only
    /// has to cover the odd mistitled report. Kept small, a matched crash stays near-proof that its
    /// commit has the bug; were ε allowed to reach the rate of unrelated crashes, "that unrelated
    /// crash is the bug, showing everywhere at rate ε" would explain the data as well as the truth.
    /// For the same reason ε is held well below p (<see cref="MistitledShareOfP"/>).
    /// </summary>
    public static ModelGrid TitleMatching { get; } = new(40, [0.0005, 0.003, 0.01, 0.03, 0.08], [0.5, 0.25, 0.13, 0.08, 0.04], MistitledShareOfP);

    /// <summary>
    /// With title matching, the most ε may be of p before its prior all but vanishes (ten thousand
    /// times less likely). Were the bug's own title to show on clean commits nearly as often as the
    /// reproducer shows it on buggy ones, no number of runs could place the culprit; a prior that
    /// allows it lets a rare reproducer's scattered crashes be read as background, and the bisection
    /// of a one-in-ten reproducer wanders between candidates until its budget is spent. Measured on
    /// <c>simulate --scenarios 1000</c>, seeds 1–3: accuracy 0.982 → 0.987 at 3 % less machine time.
    /// </summary>
    private const double MistitledShareOfP = 0.25;

    /// <summary>Under the any-crash policy every unrelated crash counts: ε is the unrelated-crash rate.</summary>
    public static ModelGrid AnyCrash { get; } = new(40, [0.001, 0.01, 0.03, 0.06, 0.1, 0.15], [1, 1, 1, 1, 1, 1]);

    private ModelGrid(int pointsOfP, double[] epsilonValues, double[] epsilonWeights, double maxShareOfP = double.PositiveInfinity)
    {
        // Denser at low p, where a few runs more or less change the verdicts most; the prior is
        // uniform in p, so each point weighs the width of the p interval it stands for, times its
        // ε value's weight.
        P = new double[pointsOfP];
        for (var j = 0; j < pointsOfP; j++)
        {
            var x = (double)j / (pointsOfP - 1);
            P[j] = 0.02 + 0.97 * Math.Pow(x, 1.6);
        }
        Epsilon = epsilonValues;
        var e = Epsilon.Length;
        Cells = P.Length * e;
        LogPrior = new double[Cells];
        LogBadHit = new double[Cells];
        LogBadMiss = new double[Cells];
        BadRate = new double[Cells];
        LogGoodHit = new double[e];
        LogGoodMiss = new double[e];
        for (var k = 0; k < e; k++)
        {
            LogGoodHit[k] = Math.Log(Epsilon[k]);
            LogGoodMiss[k] = double.LogP1(-Epsilon[k]);
        }
        for (var j = 0; j < P.Length; j++)
        {
            var lo = j == 0 ? 0.0 : (P[j - 1] + P[j]) / 2;
            var hi = j == P.Length - 1 ? 1.0 : (P[j] + P[j + 1]) / 2;
            for (var k = 0; k < e; k++)
            {
                var cell = j * e + k;
                var rate = P[j] + Epsilon[k] - P[j] * Epsilon[k];
                BadRate[cell] = rate;
                LogPrior[cell] = Math.Log(hi - lo) + Math.Log(epsilonWeights[k] / epsilonWeights.Sum())
                    + (Epsilon[k] > maxShareOfP * P[j] ? Math.Log(UnlikelyCell) : 0);
                LogBadHit[cell] = Math.Log(rate);
                LogBadMiss[cell] = double.LogP1(-rate);
            }
        }
    }

    /// <summary>The prior weight of a cell ruled out in all but name (<see cref="MistitledShareOfP"/>).</summary>
    private const double UnlikelyCell = 1e-4;

    public double[] P { get; }

    public double[] Epsilon { get; }

    public int Cells { get; }

    public int PIndex(int cell) => cell / Epsilon.Length;

    /// <summary>The grid point of p closest to <paramref name="p"/>.</summary>
    public int NearestP(double p)
    {
        var best = 0;
        for (var j = 1; j < P.Length; j++)
        {
            if (Math.Abs(P[j] - p) < Math.Abs(P[best] - p))
            {
                best = j;
            }
        }
        return best;
    }

    public int EpsilonIndex(int cell) => cell % Epsilon.Length;

    public double[] LogPrior { get; }

    /// <summary>Per cell: the chance a run on a commit with the bug counts as the bug.</summary>
    public double[] BadRate { get; }

    public double[] LogBadHit { get; }

    public double[] LogBadMiss { get; }

    public double[] LogGoodHit { get; }

    public double[] LogGoodMiss { get; }
}
