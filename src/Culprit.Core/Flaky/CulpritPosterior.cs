using Culprit.Core.Domain;

namespace Culprit.Core.Flaky;

/// <summary>
/// The posterior over the culprit, with each title cluster either the bug or background and each
/// bug cluster's run model (p, ε) integrated out. Commits that every tested commit sees alike (all
/// of them ancestors of the same tested commits) have the same likelihood, so they are kept as one
/// group: a test splits the groups it cuts, and its runs add the same log-likelihood to every
/// member. Groups stay few (about two per tested commit) whatever the range's size.
/// <para>
/// A cluster that is the bug shows on a run of a commit with the bug with its own chance p (+ε),
/// on one without with chance ε; each cluster has its own rate because each manifestation of a bug
/// has its own, and because that is what exposes an unrelated crash taken for the bug: its rate
/// does not change at the culprit, the bug's does. A background cluster's likelihood does not
/// depend on the culprit (the caller gives it). With independent roles per cluster the sum over
/// every split into bug and background factorises: per group, a product over clusters of
/// "prior × likelihood as the bug + (1 − prior) × likelihood as background", less the splits in
/// which the bad commit showed none of the bug.
/// </para>
/// </summary>
internal sealed class CulpritPosterior
{
    private readonly Ancestry _ancestors;
    private readonly ModelGrid _grid;
    /// <summary>
    /// Each commit's group. Snapshots share it rather than copy it (5 MB at a million commits, every
    /// test): the grouping changes in a copy made first into the array before it (<see cref="Owned"/>),
    /// so a snapshot holds until a later snapshot's grouping changes; the strategy keeps its latest only.
    /// </summary>
    private int[] _groupOf;

    /// <summary>The array before the current one: what the next copy is made into.</summary>
    private int[]? _spare;

    /// <summary>Whether a snapshot holds the current array (the next change copies it first).</summary>
    private bool _shared;
    private readonly List<Group> _groups = [];
    private readonly HashSet<int> _splitBy = [];
    private readonly bool _fix;
    private int _clusters;

    /// <summary>A split's marks (<see cref="Split"/>), kept from one to the next.</summary>
    private bool[]? _below;

    public const int OutsideTheRange = -1;

    /// <param name="fix">
    /// The culprit fixed the bug: the commits that have it (its descendants) are the ones without
    /// the bug, and the others show it.
    /// </param>
    public CulpritPosterior(Ancestry ancestors, ModelGrid grid, bool fix = false)
    {
        _ancestors = ancestors;
        _grid = grid;
        _fix = fix;
        _groupOf = new int[ancestors.Count];
        _groups.Add(new Group(ancestors.Count, 0));
        Reset(0);
    }

    /// <summary>
    /// Takes <paramref name="commits"/> out of the culprit's distribution: each builds what its first
    /// parent builds, so it cannot be the first commit with the bug. They move to groups of their own
    /// that hold no mass (split like any other group, and staying out); returns false, changing
    /// nothing, when no commit with mass would be left.
    /// </summary>
    public bool Exclude(IReadOnlyCollection<int> commits)
    {
        var moving = new int[_groups.Count];
        var live = _groups.Where(g => !g.Excluded).Sum(g => g.Count);
        foreach (var c in commits.Distinct())
        {
            if (!_groups[_groupOf[c]].Excluded)
            {
                moving[_groupOf[c]]++;
                live--;
            }
        }
        if (live <= 0)
        {
            return false;
        }
        var moveTo = new int[_groups.Count];
        for (var g = 0; g < moveTo.Length; g++)
        {
            moveTo[g] = -1;
            if (moving[g] == 0)
            {
                continue;
            }
            if (moving[g] == _groups[g].Count)
            {
                // The whole group goes: it stays where it is, without mass.
                _groups[g].Excluded = true;
                continue;
            }
            moveTo[g] = _groups.Count;
            _groups.Add(new Group(moving[g], -1) { LogLikelihood = (double[])_groups[g].LogLikelihood.Clone(), Excluded = true });
            _groups[g].Count -= moving[g];
            _groups[g].Representative = -1;
        }
        foreach (var c in commits)
        {
            if (moveTo[_groupOf[c]] is var to and >= 0)
            {
                Owned()[c] = to;
            }
        }
        // New representatives where a group lost or gained members (an emptied group keeps none and no mass).
        for (var c = 0; c < _groupOf.Length; c++)
        {
            if (_groups[_groupOf[c]].Representative < 0)
            {
                _groups[_groupOf[c]].Representative = c;
            }
        }
        return true;
    }

    /// <summary>Forgets all runs (not the grouping) and starts over with <paramref name="clusters"/> tracked clusters.</summary>
    public void Reset(int clusters)
    {
        _clusters = clusters;
        foreach (var g in _groups)
        {
            g.LogLikelihood = new double[clusters * _grid.Cells];
        }
    }

    /// <summary>Whether the groups were split by <paramref name="commit"/>: each lies wholly among its ancestors or wholly outside them.</summary>
    public bool WasSplitBy(int commit) => _splitBy.Contains(commit);

    /// <summary>
    /// Adds one test of <paramref name="commit"/>: its crashes per tracked cluster out of
    /// <paramref name="runs"/> useful runs. <see cref="OutsideTheRange"/> stands for a commit that has
    /// no culprit among its ancestors (the crashing end of a fix bisection).
    /// </summary>
    public void Observe(int commit, IReadOnlyList<int> crashesPerCluster, int runs)
    {
        if (runs == 0 || _clusters == 0)
        {
            return;
        }
        if (commit != OutsideTheRange && _splitBy.Add(commit))
        {
            Split(commit);
        }
        var cells = _grid.Cells;
        var eps = _grid.Epsilon.Length;
        for (var k = 0; k < _clusters; k++)
        {
            var hits = crashesPerCluster[k];
            var misses = runs - hits;
            foreach (var g in _groups)
            {
                var log = g.LogLikelihood.AsSpan(k * cells, cells);
                var descends = commit != OutsideTheRange && _ancestors.IsAncestor(g.Representative, commit);
                if (descends != _fix)
                {
                    // The culprit is an ancestor of the commit (or, for a fix, is not): it has the bug.
                    for (var c = 0; c < cells; c++)
                    {
                        log[c] += hits * _grid.LogBadHit[c] + misses * _grid.LogBadMiss[c];
                    }
                }
                else
                {
                    for (var c = 0; c < cells; c++)
                    {
                        var e = c % eps;
                        log[c] += hits * _grid.LogGoodHit[e] + misses * _grid.LogGoodMiss[e];
                    }
                }
            }
        }
    }

    /// <param name="roles">The tracked clusters' priors and whether the bad commit showed them.</param>
    /// <param name="backgroundLogEvidence">Per tracked cluster, the log-probability of its crashes as background.</param>
    public PosteriorSnapshot Snapshot(ClusterRoles roles, IReadOnlyList<double> backgroundLogEvidence)
    {
        var cells = _grid.Cells;
        var groups = _groups.Count;
        if (_clusters == 0)
        {
            var uniformCells = new double[cells];
            for (var c = 0; c < cells; c++)
            {
                uniformCells[c] = Math.Exp(_grid.LogPrior[c]);
            }
            var sizes0 = _groups.Select(g => g.Count).ToArray();
            var live = _groups.Where(g => !g.Excluded).Sum(g => g.Count);
            _shared = true;
            return new PosteriorSnapshot(_grid, _groupOf, sizes0,
                _groups.Select(g => g.Excluded ? 0 : (double)g.Count / live).ToArray(), uniformCells, []);
        }
        // Per group and cluster: the log marginal likelihood of the cluster's runs if it is the bug.
        var asBug = new double[groups * _clusters];
        var groupLog = new double[groups];
        for (var gi = 0; gi < groups; gi++)
        {
            var full = 0.0;
            var noBadCommitCluster = 0.0;
            for (var k = 0; k < _clusters; k++)
            {
                var a = LogSumExp(_groups[gi].LogLikelihood.AsSpan(k * cells, cells), _grid.LogPrior);
                asBug[gi * _clusters + k] = a;
                var bug = Math.Log(roles.Prior[k]) + a;
                var background = roles.Prior[k] < 1 ? Math.Log(1 - roles.Prior[k]) + backgroundLogEvidence[k] : double.NegativeInfinity;
                var either = LogSpace.AddExp(bug, background);
                full += either;
                noBadCommitCluster += roles.OnBadCommit[k] ? background : either;
            }
            // Splits in which none of the bad commit's crashes is the bug are not allowed.
            var x = noBadCommitCluster - full;
            groupLog[gi] = _groups[gi].Excluded || _groups[gi].Count == 0 ? double.NegativeInfinity
                : full + (x < -1e-12 ? Math.Log(-double.ExpM1(x)) : -700) + Math.Log(_groups[gi].Count);
        }
        var max = groupLog.Max();
        var groupMass = groupLog.Select(l => Math.Exp(l - max)).ToArray();
        Scale(groupMass, groupMass.Sum());

        var bugProbability = new double[_clusters];
        var meanRate = new double[_clusters];
        var cellMassOf = new double[_clusters][];
        for (var k = 0; k < _clusters; k++)
        {
            cellMassOf[k] = new double[cells];
            var background = roles.Prior[k] < 1 ? Math.Log(1 - roles.Prior[k]) + backgroundLogEvidence[k] : double.NegativeInfinity;
            for (var gi = 0; gi < groups; gi++)
            {
                var a = asBug[gi * _clusters + k];
                var bug = Math.Log(roles.Prior[k]) + a;
                bugProbability[k] += groupMass[gi] * Math.Exp(bug - LogSpace.AddExp(bug, background));
                var log = _groups[gi].LogLikelihood.AsSpan(k * cells, cells);
                for (var c = 0; c < cells; c++)
                {
                    cellMassOf[k][c] += groupMass[gi] * Math.Exp(_grid.LogPrior[c] + log[c] - a);
                }
            }
            for (var c = 0; c < cells; c++)
            {
                meanRate[k] += cellMassOf[k][c] * _grid.P[_grid.PIndex(c)];
            }
        }
        var (main, shiftedCell) = TotalRate(bugProbability, meanRate);
        var cellMass = new double[cells];
        var groupCells = new double[groups][];
        for (var gi = 0; gi < groups; gi++)
        {
            groupCells[gi] = new double[cells];
            var a = asBug[gi * _clusters + main];
            var log = _groups[gi].LogLikelihood.AsSpan(main * cells, cells);
            for (var c = 0; c < cells; c++)
            {
                var m = Math.Exp(_grid.LogPrior[c] + log[c] - a);
                groupCells[gi][shiftedCell[c]] += m;
                cellMass[shiftedCell[c]] += groupMass[gi] * m;
            }
        }
        var sizes = _groups.Select(g => g.Count).ToArray();
        _shared = true;
        return new PosteriorSnapshot(_grid, _groupOf, sizes, groupMass, cellMass, bugProbability, groupCells);
    }

    /// <summary>
    /// How the distribution of (p, ε) for the bug as a whole, which is what the planner needs, comes
    /// from one cluster's: the main cluster's (the likeliest bug cluster's) distribution shifted by the
    /// expected rates of the other clusters that are probably the bug too. Returns the main cluster
    /// and, per cell of it, the cell it moves to.
    /// </summary>
    private (int Main, int[] ShiftedCell) TotalRate(double[] bugProbability, double[] meanRate)
    {
        var main = 0;
        for (var k = 1; k < _clusters; k++)
        {
            if (bugProbability[k] * meanRate[k] > bugProbability[main] * meanRate[main])
            {
                main = k;
            }
        }
        var shift = 0.0;
        for (var k = 0; k < _clusters; k++)
        {
            if (k != main)
            {
                shift += bugProbability[k] * meanRate[k];
            }
        }
        var eps = _grid.Epsilon.Length;
        var shifted = new int[_grid.Cells];
        for (var c = 0; c < _grid.Cells; c++)
        {
            var p = Math.Min(1, _grid.P[_grid.PIndex(c)] + shift);
            shifted[c] = _grid.NearestP(p) * eps + _grid.EpsilonIndex(c);
        }
        return (main, shifted);
    }

    private static double LogSumExp(ReadOnlySpan<double> log, double[] logPrior)
    {
        var max = double.NegativeInfinity;
        for (var c = 0; c < log.Length; c++)
        {
            max = Math.Max(max, log[c] + logPrior[c]);
        }
        var sum = 0.0;
        for (var c = 0; c < log.Length; c++)
        {
            sum += Math.Exp(log[c] + logPrior[c] - max);
        }
        return max + Math.Log(sum);
    }

    private static void Scale(double[] values, double total)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= total;
        }
    }

    private void Split(int commit)
    {
        // One mark per commit (a bool each: a million commits are a megabyte, kept for the next split).
        var below = _below ??= new bool[_groupOf.Length];
        _ancestors.AncestorsOf(commit, below);
        var inside = new int[_groups.Count];
        for (var c = 0; c < _groupOf.Length; c++)
        {
            if (below[c])
            {
                inside[_groupOf[c]]++;
            }
        }
        var moveTo = new int[_groups.Count];
        for (var g = 0; g < moveTo.Length; g++)
        {
            moveTo[g] = -1;
            if (inside[g] > 0 && inside[g] < _groups[g].Count)
            {
                moveTo[g] = _groups.Count;
                _groups.Add(new Group(inside[g], -1) { LogLikelihood = (double[])_groups[g].LogLikelihood.Clone(), Excluded = _groups[g].Excluded });
                _groups[g].Count -= inside[g];
                _groups[g].Representative = -1;
            }
        }
        for (var c = 0; c < _groupOf.Length; c++)
        {
            var g = _groupOf[c];
            if (moveTo[g] < 0)
            {
                continue;
            }
            if (below[c])
            {
                Owned()[c] = moveTo[g];
                var moved = _groups[moveTo[g]];
                if (moved.Representative < 0)
                {
                    moved.Representative = c;
                }
            }
            else if (_groups[g].Representative < 0)
            {
                _groups[g].Representative = c;
            }
        }
    }

    /// <summary>The grouping to change: the current array, or a copy of it when a snapshot holds it.</summary>
    private int[] Owned()
    {
        if (_shared)
        {
            var copy = _spare ?? new int[_groupOf.Length];
            Array.Copy(_groupOf, copy, _groupOf.Length);
            (_spare, _groupOf, _shared) = (_groupOf, copy, false);
        }
        return _groupOf;
    }

    private sealed class Group(int count, int representative)
    {
        public int Count { get; set; } = count;
        public int Representative { get; set; } = representative;
        public double[] LogLikelihood { get; set; } = [];

        /// <summary>Members build what their parent builds (<see cref="Exclude"/>): no mass, whatever the runs say.</summary>
        public bool Excluded { get; set; }
    }
}
