using Culprit.Core.Domain;

namespace Culprit.Core.Strategies;

/// <summary>
/// The strategy of <c>git bisect</c>: each tested commit gets one verdict from the policy, the
/// candidates are the ancestors of the newest bad commit that are not ancestors of a good one, and
/// the next commit is the one git would pick. Skipped commits next to the culprit make the answer
/// inconclusive with the exact set git would print.
/// <para>
/// Commits the job knows build what their first parent builds (<see cref="BuildsSameAsParent"/>)
/// are no candidates: each has its parent's verdict, so it is never the first bad commit. A bad
/// commit that is one stands for its parent (bad too, the same kernel), and the weights are
/// counted over the candidates left (<c>byAncestry</c>). Nothing told, the path is git's exactly.
/// </para>
/// </summary>
public sealed class ClassicStrategy : IBisectionStrategy
{
    private readonly CommitGraph _graph;
    private readonly IVerdictPolicy _policy;
    private readonly Func<int> _runs;
    private readonly HashSet<int> _goods = [];
    private readonly HashSet<int> _skipped = [];
    private int _bad;
    private GitBisection.Scratch? _scratch;
    private bool[]? _reachable;
    private bool[]? _excluded;
    private readonly List<int> _candidates = [];
    private readonly Stack<int> _stack = new();

    /// <summary>Commits known to build what their first parent builds; null until one is told (git's exact path).</summary>
    private bool[]? _sameAsParent;

    /// <param name="graph">The range: its first commit (newest) is the known bad commit.</param>
    public ClassicStrategy(CommitGraph graph, IVerdictPolicy policy, int runs)
        : this(graph, policy, () => runs)
    {
    }

    /// <summary>
    /// A classic bisection whose run count is asked for at every step, for policies that change it
    /// as they go (syzbot's doubles once it suspects a flaky reproducer).
    /// </summary>
    public ClassicStrategy(CommitGraph graph, IVerdictPolicy policy, Func<int> runs)
    {
        if (graph.Count == 0)
        {
            throw new ArgumentException("the bisection range is empty");
        }
        _graph = graph;
        _policy = policy;
        _runs = runs;
        _bad = 0;
    }

    public string Name => "classic";

    public BisectionStep Next()
    {
        var candidates = Candidates(out var bad);
        var pick = GitBisection.Choose(_graph, candidates, _skipped.Contains, bad, _skipped.Count > 0, _scratch ??= new GitBisection.Scratch(_graph.Count),
            byAncestry: _sameAsParent is not null);
        if (pick.Commit == bad)
        {
            if (pick.Tried.Count == 0)
            {
                return new Finished(BisectionResult.Found(_graph.Commits[bad]));
            }
            var list = pick.Tried.Append(bad).Select(i => _graph.Commits[i]).ToList();
            return new Finished(BisectionResult.Inconclusive(list, message: "There are only 'skip'ped commits left to test."));
        }
        return new TestCommit(_graph.Commits[pick.Commit], _runs(), pick.All - pick.Reaches - 1, GitBisection.EstimateSteps(pick.All));
    }

    public Judgement Record(CommitOutcome outcome)
    {
        var verdict = _policy.Judge(outcome);
        var index = _graph.IndexOf(outcome.Commit);
        if (index < 0)
        {
            // Outside the range (a release or the given good commit): it only tells us it is good or bad.
            return new Judgement(outcome.Commit, verdict);
        }
        switch (verdict)
        {
            case Verdict.Bad:
                _bad = index;
                break;
            case Verdict.Good:
                _goods.Add(index);
                break;
            default:
                _skipped.Add(index);
                break;
        }
        return new Judgement(outcome.Commit, verdict);
    }

    /// <summary>
    /// What git would test next were <paramref name="commit"/> judged bad or good, whichever is
    /// likelier with every candidate equally likely the culprit (bad when at least half of them
    /// are its ancestors).
    /// </summary>
    public string? LikelyNext(string commit)
    {
        var index = _graph.IndexOf(commit);
        if (index < 0)
        {
            return null;
        }
        var candidates = Candidates(out _);
        var below = Reach([index], new bool[_graph.Count]);
        var bad = 2 * candidates.Count(c => below[c]) >= candidates.Count;
        var (savedBad, newGood) = (_bad, false);
        if (bad)
        {
            _bad = index;
        }
        else
        {
            newGood = _goods.Add(index);
        }
        try
        {
            return Next() is TestCommit next ? next.Commit : null;
        }
        finally
        {
            _bad = savedBad;
            if (newGood)
            {
                _goods.Remove(index);
            }
        }
    }

    public void BuildsSameAsParent(IEnumerable<string> commits)
    {
        foreach (var commit in commits)
        {
            if (_graph.IndexOf(commit) is var i and >= 0)
            {
                (_sameAsParent ??= new bool[_graph.Count])[i] = true;
            }
        }
    }

    /// <summary>
    /// Ancestors of the current bad commit that no good commit reaches, newest first, less the
    /// commits that build what their parent builds; <paramref name="bad"/> is the bad commit, or the
    /// first-parent ancestor it stands for (see the class comment).
    /// </summary>
    private List<int> Candidates(out int bad)
    {
        var excluded = Reach(_goods, _excluded ??= new bool[_graph.Count]);
        bad = _bad;
        while (_sameAsParent is not null && _sameAsParent[bad] && FirstParentInRange(bad) is var parent and >= 0 && !excluded[parent])
        {
            bad = parent;
        }
        var reachable = Reach([bad], _reachable ??= new bool[_graph.Count]);
        var result = _candidates;
        result.Clear();
        for (var i = 0; i < _graph.Count; i++)
        {
            if (reachable[i] && !excluded[i] && (_sameAsParent is null || !_sameAsParent[i] || i == bad))
            {
                result.Add(i);
            }
        }
        return result;
    }

    /// <summary>The index of the commit's first parent when that parent is in the range, else -1.</summary>
    private int FirstParentInRange(int index)
    {
        var parents = _graph.ParentsOf(_graph.Commits[index]);
        return parents.Count == 0 ? -1 : _graph.IndexOf(parents[0]);
    }

    private bool[] Reach(IEnumerable<int> starts, bool[] seen)
    {
        Array.Clear(seen);
        var stack = _stack;
        stack.Clear();
        foreach (var s in starts)
        {
            stack.Push(s);
        }
        while (stack.Count > 0)
        {
            var i = stack.Pop();
            if (seen[i])
            {
                continue;
            }
            seen[i] = true;
            foreach (var p in _graph.RangeParentsAt(i))
            {
                stack.Push(p);
            }
        }
        return seen;
    }
}
