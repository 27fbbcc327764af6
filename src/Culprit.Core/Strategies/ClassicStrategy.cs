using Culprit.Core.Domain;

namespace Culprit.Core.Strategies;

/// <summary>
/// The strategy of <c>git bisect</c>: each tested commit gets one verdict from the policy, the
/// candidates are the ancestors of the newest bad commit that are not ancestors of a good one, and
/// the next commit is the one git would pick. Skipped commits next to the culprit make the answer
/// inconclusive with the exact set git would print.
/// <para>
/// Rounds of K commits (<see cref="NextRound"/>) take the top of git's own decision tree: git's
/// pick now, then git's picks under each verdict of it, and so on, taking the K nodes likeliest to
/// lie on the path git will walk (every candidate equally likely the culprit, so a pick reaching r
/// of n candidates is bad with chance r/n). Every tested commit is one git itself would test on some
/// verdict path, and a round of 2^d − 1 commits covers d of git's steps whatever the verdicts, so
/// rounds fall from log2 N towards log_(K+1) N. This was chosen over a direct (K+1)-way split of
/// the candidates because it keeps git's answer by construction: the state stays git's state.
/// Outcomes are kept by commit; git's path is walked through them (a pick already tested takes its
/// stored verdict) and stops at the first pick not yet tested, so the state after a round does not
/// depend on the order its outcomes arrive, off-path outcomes never change the answer, and a skipped
/// commit is git's skip. Each tree node costs one of git's decisions (linear in the range), so a
/// round costs K of them.
/// </para>
/// <para>
/// Commits the job knows build what their first parent builds (<see cref="BuildsSameAsParent"/>)
/// are no candidates: each has its parent's verdict, so it is never the first bad commit. A bad
/// commit that is one stands for its parent (bad too, the same kernel), and the weights are
/// counted over the candidates left (<c>byAncestry</c>). Nothing told, the path is git's exactly.
/// </para>
/// </summary>
public sealed class ClassicStrategy : IBisectionStrategy
{
    /// <summary>Tree nodes looked at per round commit at most (nodes that finish or repeat a commit add none).</summary>
    private const int NodesPerCommit = 4;

    private readonly CommitGraph _graph;
    private readonly IVerdictPolicy _policy;
    private readonly Func<int> _runs;
    private readonly HashSet<int> _goods = [];
    private readonly HashSet<int> _skipped = [];
    private int _bad;
    // Outcomes recorded but not yet reached by git's path (the rest of a round).
    private readonly Dictionary<int, Verdict> _known = [];
    // git's pick for the current state, once made; null when the state changed since.
    private GitBisection.Pick? _pick;
    private GitBisection.Scratch? _scratch;
    private bool[]? _reachable;
    private bool[]? _excluded;
    private bool[]? _below;
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
        var pick = Advance();
        var bad = EffectiveBad();
        if (pick.Commit == bad)
        {
            if (pick.Tried.Count == 0)
            {
                return new Finished(BisectionResult.Found(_graph.Commits[bad]));
            }
            var list = pick.Tried.Append(bad).Select(i => _graph.Commits[i]).ToList();
            return new Finished(BisectionResult.Inconclusive(list, message: "There are only 'skip'ped commits left to test."));
        }
        return Test(pick);
    }

    /// <summary>
    /// With one worker, <see cref="Next"/>. With more, the <paramref name="workers"/> nodes of git's
    /// decision tree likeliest to be on its path (best first from git's pick now; a node's chance is
    /// its parent's times the chance of the verdict leading to it), each a distinct commit.
    /// </summary>
    public BisectionStep NextRound(int workers)
    {
        var first = Next();
        if (workers <= 1 || first is not TestCommit root)
        {
            return TestRound.Of(first);
        }
        var round = new List<TestCommit> { root };
        var inRound = new HashSet<int> { _graph.IndexOf(root.Commit) };
        var frontier = new List<Node>();
        var rootPick = _pick!;
        Expand(new Node([], 1.0), rootPick.Commit, ChanceBad(rootPick), frontier);
        for (var looked = 1; round.Count < workers && frontier.Count > 0 && looked < NodesPerCommit * workers; looked++)
        {
            var node = TakeLikeliest(frontier);
            var (pick, chanceBad, done) = Hypothetically(undo =>
            {
                foreach (var (commit, verdict) in node.Path)
                {
                    Apply(commit, verdict, undo);
                }
                var pick = Walk(null, undo);
                return pick.Commit == EffectiveBad() ? (pick, 0.0, true) : (pick, ChanceBad(pick), false);
            });
            if (done)
            {
                continue;   // git would be done on this path: nothing to test there.
            }
            if (inRound.Add(pick.Commit))
            {
                round.Add(Test(pick));
            }
            Expand(node, pick.Commit, chanceBad, frontier);
        }
        return new TestRound(round);
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
        if (_pick is null && _known.Count == 0)
        {
            // No decision made since the state changed: the caller replays steps git chose (a resume,
            // the ends' tests), each straight into the state without making its decision again.
            Apply(index, verdict, null);
        }
        else
        {
            _known[index] = verdict;
            Advance();
        }
        return new Judgement(outcome.Commit, verdict);
    }

    /// <summary>
    /// A stored outcome on a resume. A test alone was git's own pick, which <see cref="Record"/> applies
    /// straight into the state with no decision. A round's tests are recorded as after the round's
    /// decision: only the commits git's path reaches are applied (those off it are kept for when it
    /// does), so the path goes on as the first pass's did.
    /// </summary>
    public Judgement RecordStored(CommitOutcome outcome, int roundTests)
    {
        if (roundTests > 1)
        {
            Advance();
        }
        return Record(outcome);
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
        return Hypothetically(undo =>
        {
            Apply(index, LikelierVerdict(index, Candidates()), undo);
            var pick = Walk(null, undo);
            return pick.Commit == EffectiveBad() ? null : _graph.Commits[pick.Commit];
        });
    }

    /// <summary>
    /// What git would test first once every commit of <paramref name="testing"/> is recorded under
    /// its likelier verdict: git's path from the current state, through the tests running (and those
    /// done), to the first pick not among them.
    /// </summary>
    public string? LikelyNext(IReadOnlyList<(string Commit, int Runs)> testing)
    {
        var running = testing.Select(t => _graph.IndexOf(t.Commit)).Where(i => i >= 0).ToHashSet();
        var first = Advance();
        return Hypothetically(undo =>
        {
            var pick = first;
            for (var step = 0; step <= running.Count; step++)
            {
                if (pick.Commit == EffectiveBad())
                {
                    return null;
                }
                if (!running.Contains(pick.Commit))
                {
                    return _graph.Commits[pick.Commit];
                }
                Apply(pick.Commit, ChanceBad(pick) >= 0.5 ? Verdict.Bad : Verdict.Good, undo);
                pick = Walk(null, undo);
            }
            return null;
        });
    }

    private TestCommit Test(GitBisection.Pick pick) =>
        new(_graph.Commits[pick.Commit], _runs(), pick.All - pick.Reaches - 1, GitBisection.EstimateSteps(pick.All));

    /// <summary>git's path through the outcomes already recorded: the pick for the state they leave, kept until the state changes.</summary>
    private GitBisection.Pick Advance() => _pick = Walk(_pick, null);

    /// <summary>
    /// git's pick (<paramref name="pick"/> when already made for this state), taking the stored
    /// verdict of each pick already tested (it moves from the known outcomes into git's state) until
    /// a pick is new or git is done. <paramref name="undo"/> logs the changes of a hypothetical walk.
    /// </summary>
    private GitBisection.Pick Walk(GitBisection.Pick? pick, List<Change>? undo)
    {
        while (true)
        {
            // Candidates() first: the bad commit it counts from is the one passed on.
            var candidates = Candidates();
            var bad = EffectiveBad();
            var counted = CountedByGit(candidates, bad);
            pick ??= counted.Count == 0 ? new GitBisection.Pick(bad, 0, 0, [])
                : GitBisection.Choose(_graph, counted, _skipped.Contains, bad, _skipped.Count > 0, _scratch ??= new GitBisection.Scratch(_graph.Count),
                    byAncestry: _sameAsParent is not null);
            if (pick.Commit == bad || !_known.TryGetValue(pick.Commit, out var verdict))
            {
                return pick;
            }
            _known.Remove(pick.Commit);
            undo?.Add(new Change(ChangeKind.Known, pick.Commit, (int)verdict));
            Apply(pick.Commit, verdict, undo);
            pick = null;
        }
    }

    /// <summary>
    /// Runs <paramref name="explore"/> on hypothetical verdicts it applies with the undo log it is
    /// given, then puts the state back as it was (with git's pick for it, so asking changes nothing).
    /// </summary>
    private T Hypothetically<T>(Func<List<Change>, T> explore)
    {
        var saved = _pick;
        var undo = new List<Change>();
        try
        {
            return explore(undo);
        }
        finally
        {
            Undo(undo);
            _pick = saved;
        }
    }

    /// <summary>The chance that git's pick is bad: the share of the candidates it reaches.</summary>
    private double ChanceBad(GitBisection.Pick pick)
    {
        if (pick.Tried.Count == 0)
        {
            // Not moved away from a skipped commit: git's weight is the count of candidates it reaches.
            return (double)pick.Reaches / pick.All;
        }
        var candidates = Candidates();
        return candidates.Count == 0 ? 0 : (double)CountBelow(pick.Commit, candidates) / candidates.Count;
    }

    private Verdict LikelierVerdict(int index, List<int> candidates) =>
        2 * CountBelow(index, candidates) >= candidates.Count ? Verdict.Bad : Verdict.Good;

    private int CountBelow(int index, List<int> candidates)
    {
        var below = Reach([index], _below ??= new bool[_graph.Count]);
        var count = 0;
        foreach (var c in candidates)
        {
            if (below[c])
            {
                count++;
            }
        }
        return count;
    }

    private static Node TakeLikeliest(List<Node> frontier)
    {
        // Ties go to the node found first: breadth-first, bad before good.
        var best = 0;
        for (var i = 1; i < frontier.Count; i++)
        {
            if (frontier[i].Chance > frontier[best].Chance)
            {
                best = i;
            }
        }
        var node = frontier[best];
        frontier.RemoveAt(best);
        return node;
    }

    private static void Expand(Node node, int pick, double chanceBad, List<Node> frontier)
    {
        frontier.Add(new Node([.. node.Path, (pick, Verdict.Bad)], node.Chance * chanceBad));
        frontier.Add(new Node([.. node.Path, (pick, Verdict.Good)], node.Chance * (1 - chanceBad)));
    }

    private void Apply(int index, Verdict verdict, List<Change>? undo)
    {
        _pick = null;
        switch (verdict)
        {
            case Verdict.Bad:
                undo?.Add(new Change(ChangeKind.Bad, index, _bad));
                _bad = index;
                break;
            case Verdict.Good:
                if (_goods.Add(index))
                {
                    undo?.Add(new Change(ChangeKind.Good, index, 0));
                }
                break;
            default:
                if (_skipped.Add(index))
                {
                    undo?.Add(new Change(ChangeKind.Skip, index, 0));
                }
                break;
        }
    }

    /// <summary>Takes back hypothetical verdicts (newest first) and gives back the stored ones the walk used.</summary>
    private void Undo(List<Change> undo)
    {
        for (var i = undo.Count - 1; i >= 0; i--)
        {
            var change = undo[i];
            switch (change.Kind)
            {
                case ChangeKind.Bad:
                    _bad = change.Value;
                    break;
                case ChangeKind.Good:
                    _goods.Remove(change.Index);
                    break;
                case ChangeKind.Skip:
                    _skipped.Remove(change.Index);
                    break;
                case ChangeKind.Known:
                    _known[change.Index] = (Verdict)change.Value;
                    break;
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
                _pick = null;
            }
        }
    }

    /// <summary>
    /// The bad commit git counts from: the current bad commit, or the first-parent ancestor it
    /// stands for when it builds what its parent builds (see the class comment).
    /// </summary>
    private int EffectiveBad()
    {
        if (_sameAsParent is null)
        {
            return _bad;
        }
        var excluded = Reach(_goods, _excluded ??= new bool[_graph.Count]);
        var bad = _bad;
        while (_sameAsParent[bad] && FirstParentInRange(bad) is var parent and >= 0 && !excluded[parent])
        {
            bad = parent;
        }
        return bad;
    }

    /// <summary>
    /// Ancestors of the bad commit git counts from that no good commit reaches, newest first, less
    /// the commits that build what their parent builds.
    /// </summary>
    private List<int> Candidates()
    {
        var bad = EffectiveBad();
        var reachable = Reach([bad], _reachable ??= new bool[_graph.Count]);
        var excluded = Reach(_goods, _excluded ??= new bool[_graph.Count]);
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

    /// <summary>
    /// The candidates git counts and may test: all of them, less a bad commit that touches none of a
    /// path-limited range's paths (TREESAME to git: weighed 0, never picked; it stays the answer when
    /// no other candidate is left).
    /// </summary>
    private List<int> CountedByGit(List<int> candidates, int bad) =>
        _graph.TipOutsidePaths && bad == 0 && candidates.Count > 0 && candidates[0] == 0 ? candidates.GetRange(1, candidates.Count - 1) : candidates;

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

    /// <summary>A node of git's decision tree: the verdicts that lead to it from the current state, and their chance.</summary>
    private sealed record Node(IReadOnlyList<(int Commit, Verdict Verdict)> Path, double Chance);

    private enum ChangeKind
    {
        Bad,
        Good,
        Skip,
        Known,
    }

    /// <summary>One change to the state, with what undoes it (the previous bad commit, a known verdict).</summary>
    private readonly record struct Change(ChangeKind Kind, int Index, int Value);
}
