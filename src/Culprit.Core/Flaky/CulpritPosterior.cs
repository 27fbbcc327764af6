namespace Culprit.Core.Flaky;

/// <summary>
/// The joint posterior over which crashes are the bug (hypothesis h), the culprit and the run model
/// (p, ε). Commits that every tested commit sees alike (all of them ancestors of the same tested
/// commits) have the same likelihood, so they are kept as one group: a test splits the groups it
/// cuts, and its runs add the same log-likelihood to every member. Groups stay few (about two per
/// tested commit) whatever the range's size.
/// <para>
/// Under h a run is the bug, another crash, or clean. Other crashes happen at a background rate ρ
/// on every commit alike (integrated out with a uniform prior), so they say nothing about the
/// culprit but do weigh in comparing hypotheses.
/// </para>
/// </summary>
internal sealed class CulpritPosterior
{
    /// <summary>
    /// The background rate of other crashes has a Beta(1, 20) prior (mean 5 %): unrelated crashes
    /// are the exception, which is what keeps "the bug is that rare other crash" from explaining a
    /// frequent crash away as background.
    /// </summary>
    private const int BackgroundPriorWeight = 20;

    private readonly AncestorSets _ancestors;
    private readonly ModelGrid _grid;
    private readonly int[] _groupOf;
    private readonly List<Group> _groups = [];
    private readonly HashSet<int> _splitBy = [];
    private int _hypotheses;
    private int[] _bug = [];
    private int[] _other = [];
    private int _clean;

    public CulpritPosterior(AncestorSets ancestors, ModelGrid grid)
    {
        _ancestors = ancestors;
        _grid = grid;
        _groupOf = new int[ancestors.Count];
        _groups.Add(new Group(ancestors.Count, 0));
        Reset(1);
    }

    /// <summary>Forgets all runs (not the grouping) and starts over with <paramref name="hypotheses"/> hypotheses.</summary>
    public void Reset(int hypotheses)
    {
        _hypotheses = hypotheses;
        _bug = new int[hypotheses];
        _other = new int[hypotheses];
        _clean = 0;
        foreach (var g in _groups)
        {
            g.LogLikelihood = new double[hypotheses * _grid.Cells];
        }
    }

    /// <summary>Adds one test of <paramref name="commit"/>: per hypothesis its bug and other-crash runs, and its clean runs.</summary>
    public void Observe(int commit, IReadOnlyList<(int Bug, int Other)> perHypothesis, int cleanRuns)
    {
        if (perHypothesis.All(x => x.Bug + x.Other == 0) && cleanRuns == 0)
        {
            return;
        }
        if (_splitBy.Add(commit))
        {
            Split(commit);
        }
        _clean += cleanRuns;
        var cells = _grid.Cells;
        var eps = _grid.Epsilon.Length;
        for (var h = 0; h < _hypotheses; h++)
        {
            var bugRuns = perHypothesis[h].Bug;
            _bug[h] += bugRuns;
            _other[h] += perHypothesis[h].Other;
            if (bugRuns + cleanRuns == 0)
            {
                continue;
            }
            foreach (var g in _groups)
            {
                var log = g.LogLikelihood.AsSpan(h * cells, cells);
                if (_ancestors.Contains(commit, g.Representative))
                {
                    // The culprit is an ancestor of the commit: it has the bug.
                    for (var c = 0; c < cells; c++)
                    {
                        log[c] += bugRuns * _grid.LogBadHit[c] + cleanRuns * _grid.LogBadMiss[c];
                    }
                }
                else
                {
                    for (var c = 0; c < cells; c++)
                    {
                        var e = c % eps;
                        log[c] += bugRuns * _grid.LogGoodHit[e] + cleanRuns * _grid.LogGoodMiss[e];
                    }
                }
            }
        }
    }

    public PosteriorSnapshot Snapshot(IReadOnlyList<double> hypothesisPriors)
    {
        var cells = _grid.Cells;
        var hypothesisLog = new double[_hypotheses];
        for (var h = 0; h < _hypotheses; h++)
        {
            hypothesisLog[h] = Math.Log(hypothesisPriors[h])
                + LogBeta(_other[h] + 1, _bug[h] + _clean + BackgroundPriorWeight) - LogBeta(1, BackgroundPriorWeight);
        }
        var max = double.NegativeInfinity;
        foreach (var g in _groups)
        {
            var logCount = Math.Log(g.Count);
            for (var h = 0; h < _hypotheses; h++)
            {
                for (var c = 0; c < cells; c++)
                {
                    max = Math.Max(max, hypothesisLog[h] + logCount + _grid.LogPrior[c] + g.LogLikelihood[h * cells + c]);
                }
            }
        }
        var groupMass = new double[_groups.Count];
        var cellMass = new double[cells];
        var hypothesisMass = new double[_hypotheses];
        var total = 0.0;
        for (var gi = 0; gi < _groups.Count; gi++)
        {
            var g = _groups[gi];
            var logCount = Math.Log(g.Count);
            for (var h = 0; h < _hypotheses; h++)
            {
                for (var c = 0; c < cells; c++)
                {
                    var w = Math.Exp(hypothesisLog[h] + logCount + _grid.LogPrior[c] + g.LogLikelihood[h * cells + c] - max);
                    groupMass[gi] += w;
                    cellMass[c] += w;
                    hypothesisMass[h] += w;
                    total += w;
                }
            }
        }
        Scale(groupMass, total);
        Scale(cellMass, total);
        Scale(hypothesisMass, total);
        var sizes = _groups.Select(g => g.Count).ToArray();
        return new PosteriorSnapshot(_grid, (int[])_groupOf.Clone(), sizes, groupMass, cellMass, hypothesisMass);
    }

    private static void Scale(double[] values, double total)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= total;
        }
    }

    private static double LogBeta(int a, int b) => LogFactorial(a - 1) + LogFactorial(b - 1) - LogFactorial(a + b - 1);

    private static double LogFactorial(int n)
    {
        var sum = 0.0;
        for (var i = 2; i <= n; i++)
        {
            sum += Math.Log(i);
        }
        return sum;
    }

    private void Split(int commit)
    {
        var inside = new int[_groups.Count];
        for (var c = 0; c < _groupOf.Length; c++)
        {
            if (_ancestors.Contains(commit, c))
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
                _groups.Add(new Group(inside[g], -1) { LogLikelihood = (double[])_groups[g].LogLikelihood.Clone() });
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
            if (_ancestors.Contains(commit, c))
            {
                _groupOf[c] = moveTo[g];
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

    private sealed class Group(int count, int representative)
    {
        public int Count { get; set; } = count;
        public int Representative { get; set; } = representative;
        public double[] LogLikelihood { get; set; } = [];
    }
}
