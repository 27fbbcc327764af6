namespace Culprit.Core.Flaky;

/// <summary>
/// The posterior at one point of the bisection: the mass of each group of equally likely commits,
/// the mass of each run-model cell (p, ε) of the bug as a whole, and per tracked title cluster the
/// probability that it is the bug; and per group, the distribution of (p, ε) were the culprit in it
/// (members of a group are alike: the runs so far do not tell them apart), which the cell masses
/// average.
/// </summary>
internal sealed class PosteriorSnapshot(ModelGrid grid, int[] groupOf, int[] groupSizes, double[] groupMass, double[] cellMass, double[] bugProbability,
    double[][]? groupCells = null)
{
    private int[]? _representatives;

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

    /// <summary>
    /// The member of <paramref name="group"/> numbered first in the ancestry's walk, -1 for an empty
    /// group: none of the others can be its ancestor (an ancestor is numbered before its descendants).
    /// </summary>
    public int EarliestMember(int group, Domain.Ancestry ancestors)
    {
        var earliest = -1;
        var at = int.MaxValue;
        var tables = ancestors.Tables();
        for (var c = 0; c < groupOf.Length; c++)
        {
            if (groupOf[c] == group && tables.PositionOf(c) < at)
            {
                (earliest, at) = (c, tables.PositionOf(c));
            }
        }
        return earliest;
    }

    /// <summary>Whether every member of <paramref name="group"/> is <paramref name="commit"/> or descends from it.</summary>
    public bool AllDescendFrom(int group, int commit, Domain.Ancestry ancestors)
    {
        var tables = ancestors.Tables();
        for (var c = 0; c < groupOf.Length; c++)
        {
            if (groupOf[c] == group && !tables.IsAncestor(commit, c))
            {
                return false;
            }
        }
        return true;
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
    /// The masses of the (p, ε) cells jointly with whether <paramref name="commit"/> has the bug. A
    /// commit that clean runs and a few crashes leave in doubt is in doubt because two stories fit,
    /// each with its own p and ε (no bug, and crashes counted as the bug at a high ε; or the bug at a
    /// low p): runs on it tell them apart only as far as those differ, and its neighbours share the
    /// doubt. <paramref name="ancestorMass"/> is the mass of the commit's ancestors: the group the
    /// commit is in (the one a test of it would split) gives that share of itself, every other group
    /// goes by one member. Each array sums to the probability of its state; null when the groups'
    /// distributions are not known.
    /// </summary>
    public (double[] WithBug, double[] WithoutBug)? CellsSplitAt(int commit, double ancestorMass, Domain.Ancestry ancestors, bool fix)
    {
        if (groupCells is null)
        {
            return null;
        }
        var representatives = Representatives();
        var below = new double[grid.Cells];
        var above = new double[grid.Cells];
        var own = groupOf[commit];
        var belowMass = 0.0;
        for (var g = 0; g < groupSizes.Length; g++)
        {
            var r = representatives[g];
            if (g == own || r < 0 || groupMass[g] <= 0)
            {
                continue;
            }
            var isBelow = ancestors.IsAncestor(r, commit);
            belowMass += isBelow ? groupMass[g] : 0;
            Add(isBelow ? below : above, g, 1);
        }
        if (groupMass[own] > 0)
        {
            var share = Math.Clamp((ancestorMass - belowMass) / groupMass[own], 0, 1);
            Add(below, own, share);
            Add(above, own, 1 - share);
        }
        // The culprit among the commit's ancestors gives it the bug (for a fix, takes it away).
        return fix ? (above, below) : (below, above);
    }

    /// <summary>
    /// The mass of <paramref name="commit"/>'s ancestors (itself included) when every group lies wholly
    /// among them or wholly outside (the groups were split by it, <see cref="CulpritPosterior.WasSplitBy"/>):
    /// a sum over the groups, where a sum over the commits would read all of them.
    /// </summary>
    public double MassOfWholeGroupsBelow(int commit, Domain.Ancestry ancestors)
    {
        var representatives = Representatives();
        var mass = 0.0;
        for (var g = 0; g < groupMass.Length; g++)
        {
            if (groupMass[g] > 0 && representatives[g] >= 0 && ancestors.IsAncestor(representatives[g], commit))
            {
                mass += groupMass[g];
            }
        }
        return mass;
    }

    /// <summary>Each group's first member (-1 for an empty one), found once per snapshot.</summary>
    private int[] Representatives()
    {
        if (_representatives is null)
        {
            var first = new int[groupSizes.Length];
            Array.Fill(first, -1);
            for (var c = groupOf.Length - 1; c >= 0; c--)
            {
                first[groupOf[c]] = c;
            }
            _representatives = first;
        }
        return _representatives;
    }

    private void Add(double[] into, int group, double share)
    {
        var cells = groupCells![group];
        var m = groupMass[group] * share;
        for (var c = 0; c < into.Length; c++)
        {
            into[c] += m * cells[c];
        }
    }

    /// <summary>
    /// The same model with the culprit's distribution replaced by <paramref name="commitMass"/>, each
    /// commit its own group (a round's planner conditions on the culprit lying in part of the range).
    /// </summary>
    public PosteriorSnapshot WithCommitMasses(double[] commitMass)
    {
        var units = UnitGroups.Of(commitMass.Length);
        return new(grid, units.Identity, units.Ones, commitMass, cellMass, bugProbability);
    }

    /// <summary>Makes the unit groups of a range of <paramref name="commits"/> ahead of the first round planned over it.</summary>
    public static void PrepareUnitGroups(int commits) => UnitGroups.Of(commits);

    /// <summary>
    /// Each commit its own group: the same two read-only arrays for every snapshot of one size (a round's
    /// planner makes several per round; fresh ones would be 10 MB each at a million commits).
    /// </summary>
    private sealed record UnitGroups(int[] Identity, int[] Ones)
    {
        private static UnitGroups? s_last;

        public static UnitGroups Of(int commits)
        {
            if (s_last is { } last && last.Identity.Length == commits)
            {
                return last;
            }
            var made = new UnitGroups(Enumerable.Range(0, commits).ToArray(), Enumerable.Repeat(1, commits).ToArray());
            s_last = made;
            return made;
        }
    }
}
