namespace Culprit.Core.Flaky;

/// <summary>
/// The posterior at one point of the bisection: the mass of each group of equally likely commits,
/// the mass of each run-model cell (p, ε) of the bug as a whole, and per tracked title cluster the
/// probability that it is the bug.
/// </summary>
internal sealed class PosteriorSnapshot(ModelGrid grid, int[] groupOf, int[] groupSizes, double[] groupMass, double[] cellMass, double[] bugProbability)
{
    public ModelGrid Grid => grid;

    public int Commits => groupOf.Length;

    public int Groups => groupSizes.Length;

    public int GroupOf(int commit) => groupOf[commit];

    public int SizeOf(int group) => groupSizes[group];

    public double MassOf(int group) => groupMass[group];

    public double CellMass(int cell) => cellMass[cell];

    /// <summary>The probability that tracked cluster <paramref name="cluster"/> is the bug.</summary>
    public double BugProbability(int cluster) => bugProbability[cluster];

    /// <summary>The probability that <paramref name="commit"/> is the culprit.</summary>
    public double ProbabilityOf(int commit) => groupMass[groupOf[commit]] / groupSizes[groupOf[commit]];

    /// <summary>The posterior mean of the repro chance p.</summary>
    public double ReproChance
    {
        get
        {
            var e = grid.Epsilon.Length;
            var mean = 0.0;
            for (var c = 0; c < grid.Cells; c++)
            {
                mean += cellMass[c] * grid.P[c / e];
            }
            return mean;
        }
    }

    /// <summary>The group holding the most mass (the lowest index among equals).</summary>
    public int HeaviestGroup()
    {
        var best = 0;
        for (var g = 1; g < groupMass.Length; g++)
        {
            if (groupMass[g] > groupMass[best])
            {
                best = g;
            }
        }
        return best;
    }

    public IEnumerable<int> MembersOf(int group)
    {
        for (var c = 0; c < groupOf.Length; c++)
        {
            if (groupOf[c] == group)
            {
                yield return c;
            }
        }
    }

    /// <summary>2^entropy of the culprit's distribution: how many equally likely commits it is worth.</summary>
    public double EffectiveCandidates()
    {
        var h = 0.0;
        for (var g = 0; g < groupMass.Length; g++)
        {
            if (groupMass[g] > 0)
            {
                h -= groupMass[g] * Math.Log2(groupMass[g] / groupSizes[g]);
            }
        }
        return Math.Pow(2, h);
    }

    /// <summary>
    /// The same model with the culprit's distribution replaced by <paramref name="commitMass"/>, each
    /// commit its own group (a round's planner conditions on the culprit lying in part of the range).
    /// </summary>
    public PosteriorSnapshot WithCommitMasses(double[] commitMass) =>
        new(grid, Enumerable.Range(0, commitMass.Length).ToArray(), Enumerable.Repeat(1, commitMass.Length).ToArray(), commitMass, cellMass, bugProbability);
}
