using System.Globalization;
using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Core.Flaky;

/// <summary>
/// Flake-aware bisection. It keeps the probability of every commit being the culprit jointly with
/// the reproducer's repro chance p and a background rate ε of crashes counted as the bug on commits
/// without it. A run on a commit at or after the culprit shows the bug with chance p (+ε), before
/// it with chance ε. After each test it updates the posterior, then asks for the commit and run
/// count with the most expected information per second of build and run time, until one commit
/// (or one set of commits only broken builds separate) holds <see cref="FlakyOptions.Confidence"/>
/// with a fifth of its risk left (0.99 for 0.95) or the budget is spent; an answer past the target
/// when the budget runs out is still found, with its probability as the stated confidence. It is deterministic: replaying the same outcomes gives the same steps.
/// </summary>
public sealed class FlakyStrategy : IBisectionStrategy
{
    private const double CandidateThreshold = 0.01;

    /// <summary>A commit the posterior gives less than this is held not to be the culprit (the title-change reading looks through it when untested).</summary>
    private const double RuledOut = 0.001;

    /// <summary>How much likelier a clean test must make "no bug here" at the least (see <see cref="TestPlanner"/>).</summary>
    private const double DecisiveOdds = 20;
    private const int MaxListedCandidates = 20;

    /// <summary>How sure the strategy must be that a cluster is the bug before one of its crashes ends a commit's test.</summary>
    private const double SettlingBugProbability = 0.99;

    /// <summary>How much smaller than the target's the risk of a wrong answer is made while the budget lasts.</summary>
    public const double ExtraCertainty = 5;
    /// <summary>Tests of the bad commit after which the bisection goes on with whatever crash it showed (or ends, if none).</summary>
    private const int BadCommitAttempts = 4;

    /// <summary>
    /// While the repro chance's posterior is this wide (standard deviation over mean), the crashing
    /// commit is tested again, up to <see cref="MaxRunsToMeasureRepro"/> of its runs: every clean test
    /// of the bisection is priced by how low p may be, so a sharper p makes each of them cheaper. A
    /// run on the crashing commit needs no new build; a few crashes (about 1/CV²) pin p down.
    /// </summary>
    private const double ReproSpreadToMeasure = 0.5;
    private const int MaxRunsToMeasureRepro = 60;

    private readonly CommitGraph _graph;
    private readonly Ancestry _ancestors;

    /// <summary>What the decisions write per commit, kept from one to the next (<see cref="DecisionBuffers"/>).</summary>
    private readonly Lazy<DecisionBuffers> _buffers;
    private readonly TitleClusters _clusters = new();
    private ClusterRoles _roles = new([], [], []);
    private readonly CostModel _costs = new();
    private readonly List<(int Commit, CommitOutcome Outcome)> _history = [];

    /// <summary>Every outcome recorded, in order: what a twin replays to look ahead (<see cref="LikelyNext"/>).</summary>
    private readonly List<CommitOutcome> _recorded = [];
    private readonly HashSet<int> _broken = [];
    /// <summary>Commits that build what their first parent builds (<see cref="BuildsSameAsParent"/>): no mass, never tested.</summary>
    private readonly HashSet<int> _sameAsParent = [];
    /// <summary>What the planner passes over: broken builds and commits that build their parent's kernel.</summary>
    private readonly HashSet<int> _notToTest = [];
    private readonly HashSet<int> _tested = [];
    /// <summary>Commits built so far: a commit is built once, its later tests only run.</summary>
    private readonly HashSet<string> _built = new(StringComparer.Ordinal);
    private CulpritPosterior _posterior;
    private PosteriorSnapshot _snapshot;
    private int _runs;
    private int _builds;
    private int _badTests;
    private int _badRuns;
    private int _badUsefulRuns;
    private int _usefulRuns;
    private int _builtRuns;
    private double? _reportedReproChance;

    /// <summary>The probability that every rename the bisection took (see <see cref="TitleChangeReading"/>) holds.</summary>
    private double _renamesHold = 1;

    /// <summary>The commit known to crash: the bad commit, or for a fix the old end (outside the range), once recorded.</summary>
    private string? _crashing;

    /// <param name="graph">
    /// The range: its first commit (newest) is the known bad commit; for a fix, the known fixed one,
    /// and the first crashing outcome recorded from outside the range is the crashing end.
    /// </param>
    public FlakyStrategy(CommitGraph graph, FlakyOptions? options = null)
        : this(graph, options, DecisionBuffers.For(graph.Count))
    {
    }

    /// <param name="buffers">Where the decisions write per commit (a twin, <see cref="LikelyNext(IReadOnlyList{ValueTuple{string, int}})"/>, makes its own when it needs them).</param>
    private FlakyStrategy(CommitGraph graph, FlakyOptions? options, Lazy<DecisionBuffers> buffers)
    {
        if (graph.Count == 0)
        {
            throw new ArgumentException("the bisection range is empty");
        }
        _graph = graph;
        _buffers = buffers;
        Options = options ?? FlakyOptions.Default;
        _crashing = Options.Fix ? null : graph.Commits[0];
        _ancestors = graph.Ancestry;
        _posterior = new CulpritPosterior(_ancestors, Options.AnyCrash ? ModelGrid.AnyCrash : ModelGrid.TitleMatching, Options.Fix);
        _snapshot = _posterior.Snapshot(_roles, []);
    }

    public string Name => "flaky";

    public FlakyOptions Options { get; }

    /// <summary>
    /// The probability at which the bisection stops when budget is left: the target's risk of a
    /// wrong answer divided by <see cref="ExtraCertainty"/> (0.95 → 0.99).
    /// </summary>
    private double StopConfidence => Math.Max(Options.Confidence, 1 - (1 - Options.Confidence) / ExtraCertainty);

    /// <summary>The posterior mean of the repro chance, once the bad commit has crashed.</summary>
    public double? ReproChance => BugDefined ? _snapshot.ReproChance : null;

    /// <summary>The titles (and alt titles) that most likely are the bug.</summary>
    public IReadOnlyList<string> BugTitles => BugDefined && !Options.AnyCrash ? BugClusterSet().SelectMany(_clusters.TitlesOf).ToList() : [];

    /// <summary>The probability that <see cref="BugTitles"/> are the bug's crashes (and no others).</summary>
    public double BugTitlesProbability =>
        BugDefined ? Enumerable.Range(0, _roles.Count).Aggregate(1.0, (acc, k) => acc * Math.Max(_snapshot.BugProbability(k), 1 - _snapshot.BugProbability(k))) : 0;

    private bool BugDefined => _roles.Count > 0 && _clusters.Clusters.Any(_clusters.SeenOnBadCommit);

    /// <summary>Whether a run counts as the bug: its cluster is more likely the bug than background.</summary>
    private bool IsBugRun(RunOutcome run)
    {
        var k = BugClusters.ClusterIndex(run, _clusters, _roles, Options.AnyCrash);
        return k >= 0 && _snapshot.BugProbability(k) >= 0.5;
    }

    /// <summary>The clusters more likely the bug than background.</summary>
    private List<string> BugClusterSet() =>
        Enumerable.Range(0, _roles.Count).Where(k => _snapshot.BugProbability(k) >= 0.5).Select(k => _roles.Clusters[k]).ToList();

    /// <summary>
    /// When no crash seen is more likely the bug's than background (a rare bug whose crashes also showed
    /// where it was taken to be absent), the likeliest one, so the log does not name an empty bug.
    /// </summary>
    private string BugInDoubtNote()
    {
        var likeliest = Enumerable.Range(0, _roles.Count).MaxBy(_snapshot.BugProbability);
        return string.Create(CultureInfo.InvariantCulture,
            $"the bug's crash is in doubt: no crash seen is more likely the bug than background (likeliest: {_roles.Clusters[likeliest]}, {_snapshot.BugProbability(likeliest) * 100:0.0}% probability)");
    }

    /// <summary>
    /// The titles of the clusters more likely the bug than background, the likeliest cluster first
    /// (ties: the one the bad commit showed most), for the result's crash title and report.
    /// </summary>
    private IReadOnlyList<string>? RankedBugTitles()
    {
        if (!BugDefined || Options.AnyCrash)
        {
            return null;
        }
        return Enumerable.Range(0, _roles.Count)
            .Where(k => _snapshot.BugProbability(k) >= 0.5)
            .OrderByDescending(k => _snapshot.BugProbability(k))
            .ThenByDescending(k => _clusters.CountOnBadCommit(_roles.Clusters[k]))
            .ThenBy(k => k)
            .SelectMany(k => _clusters.TitlesOf(_roles.Clusters[k]))
            .ToList();
    }

    /// <summary>A final answer, naming the crash titles held to be the bug.</summary>
    private Finished Finish(BisectionResult result) => new(result with { BugTitles = RankedBugTitles() });

    /// <summary>The probability that <paramref name="commit"/> is the culprit.</summary>
    public double ProbabilityOf(string commit) => _snapshot.ProbabilityOf(_graph.IndexOf(commit));

    public BisectionStep Next()
    {
        if (_crashing is not { } bad)
        {
            return Finish(new BisectionResult(ResultKind.NotReproduced, null, [], Message: "no crashing commit was tested"));
        }
        if (!BugDefined || (!BugClusters.Settled(_clusters, Options.AnyCrash, Options.BugTitle, _badUsefulRuns) && _badTests < BadCommitAttempts))
        {
            // First make sure what the bug looks like: a flaky reproducer may show it once, or show
            // an unrelated crash instead, in the bad commit's first runs.
            var spent = SpentAll;
            if (!BugDefined && (_badTests >= BadCommitAttempts || spent))
            {
                return Finish(new BisectionResult(ResultKind.NotReproduced, null, [], Message:
                    $"the crash did not reproduce on {bad} in {_runs} runs"));
            }
            if (!spent)
            {
                var runs = Math.Min(Options.FirstRuns << Math.Max(0, _badTests - 1), Options.RunBudget - _runs);
                return new TestCommit(bad, runs, _graph.Count - 1, GitBisection.EstimateSteps(_graph.Count));
            }
        }

        var heaviest = _snapshot.HeaviestGroup();
        var mass = _snapshot.MassOf(heaviest);
        var spentAll = SpentAll;
        // Past the target, a few more runs on the leader and its neighbours are cheap and turn a
        // 95 % answer into a 99 % one; the stated confidence stays the posterior itself. The leader
        // is the answer as soon as the target is reached if the budget allows nothing more.
        if (mass >= StopConfidence || (mass >= Options.Confidence && spentAll))
        {
            // (Early on the heaviest group is most of the range: its members are listed only when the answer needs them.)
            if (_snapshot.SizeOf(heaviest) == 1)
            {
                List<int> members = [_snapshot.EarliestMember(heaviest, _ancestors)];
                // The posterior assumes fixed titles: what speaks for a title change at the answer,
                // and the renames already taken, are doubts it cannot see.
                var rename = RenameReadingAt(members[0]);
                if (RenameEvidenceRun(rename) is { } evidence)
                {
                    return evidence;
                }
                var doubt = rename?.Probability ?? 0;
                var notes = new List<string>();
                if (rename is { } r && doubt >= 0.01)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"the culprit's parent crashes with another title ({_clusters.TitlesOf(r.Clusters[0]).First()}, {r.OldCrashes}/{r.ParentRuns} runs) that no later commit shows: the title may have changed here ({doubt * 100:0.0}% probability); confidence lowered"));
                }
                // Nor can it see a second bug: the bad commit's crash it took for background may have come in elsewhere.
                var second = SecondBugReadingAt(members[0]);
                var secondDoubt = second?.Probability ?? 0;
                if (second is { } b && secondDoubt >= 0.01)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"the bad commit also crashes with {_clusters.TitlesOf(b.Cluster).First()} ({b.BadCrashes}/{b.BadRuns} runs, as often as with the bug), which comes in at another commit than the culprit: it may be another bug, the one the bad commit shows most ({secondDoubt * 100:0.0}% probability); confidence lowered"));
                }
                return Finish(new BisectionResult(
                    ResultKind.Found, _graph.Commits[members[0]], [_graph.Commits[members[0]]], mass * _renamesHold * (1 - doubt) * (1 - secondDoubt),
                    Probabilities(members), notes.Count > 0 ? string.Join("; ", notes) : null));
            }
            if (!CanBeTold(heaviest))
            {
                var members = _snapshot.MembersOf(heaviest).ToList();
                // The bug's titles may have changed at one of them: that is for runs to tell (see above).
                if (RenameEvidenceRun(RenameReadingAt(GroupRoot(heaviest))) is { } evidence)
                {
                    return evidence;
                }
                return Finish(new BisectionResult(
                    ResultKind.Inconclusive, null, members.Select(m => _graph.Commits[m]).ToList(), mass, Probabilities(members),
                    "only commits whose build is broken separate these candidates") { OnlyBrokenBuildsBetween = true });
            }
        }

        if (spentAll)
        {
            return GiveUp($"the budget is spent ({_runs} runs, {_builds} builds)");
        }
        if (_badRuns < MaxRunsToMeasureRepro && ReproSpread() > ReproSpreadToMeasure)
        {
            // All runs, not stopped at the first crash: their count of crashes is what measures p.
            var runs = Math.Min(Math.Min(Options.FirstRuns, MaxRunsToMeasureRepro - _badRuns), Options.RunBudget - _runs);
            return new TestCommit(bad, runs, _graph.Count - 1, GitBisection.EstimateSteps(_graph.Count));
        }
        var plan = TestPlanner.Choose(PlannerInputs());
        if (plan is null)
        {
            return GiveUp("no test left can tell the candidates apart");
        }
        var effective = Math.Max(1, (int)Math.Round(_snapshot.EffectiveCandidates()));
        // In git's terms: a test splits the candidates about in half, and the larger half, less the
        // commit tested, is what is left to test after it (2 candidates: 0 left, 0 steps).
        var left = Math.Max(0, effective - Math.Max(1, effective / 2) - 1);
        return new TestCommit(_graph.Commits[plan.Commit], plan.Runs, left, GitBisection.EstimateSteps(effective), SettlingTitles());
    }

    /// <summary>
    /// The titles of the clusters almost surely the bug (<see cref="SettlingBugProbability"/>): with
    /// title matching a crash counted as the bug on a commit without it is rare (ε, see
    /// <see cref="ModelGrid.TitleMatching"/>), so one such crash all but proves its commit has the bug
    /// and the commit's other runs are not worth their machine time. The posterior takes the runs
    /// made, whatever their number: a stop at a crash changes their likelihood only by a constant.
    /// None under the any-crash policy, where every unrelated crash counts (ε is their rate).
    /// </summary>
    private IReadOnlyList<string>? SettlingTitles()
    {
        if (Options.AnyCrash)
        {
            return null;
        }
        var titles = Enumerable.Range(0, _roles.Count)
            .Where(k => _snapshot.BugProbability(k) >= SettlingBugProbability)
            .SelectMany(k => _clusters.TitlesOf(_roles.Clusters[k]))
            .ToList();
        return titles.Count > 0 ? titles : null;
    }

    /// <summary>
    /// Up to <paramref name="workers"/> tests at once: the test <see cref="Next"/> picks, then the
    /// ones <see cref="RoundPlanner"/> adds to split the rest of the posterior mass jointly. The bad
    /// commit's first tests (what the bug looks like) go alone.
    /// </summary>
    public BisectionStep NextRound(int workers)
    {
        var step = Next();
        if (workers <= 1 || step is not TestCommit first || first.Commit == _crashing)
        {
            return TestRound.Of(step);
        }
        var firstPlan = new TestPlan(_graph.IndexOf(first.Commit), first.Runs, 0, 0);
        var more = RoundPlanner.Extend(PlannerInputs(), firstPlan, workers, Options.MaxBuilds - _builds, _buffers.Value.Round);
        return new TestRound([first, .. more.Select(p => first with { Commit = _graph.Commits[p.Commit], Runs = p.Runs })]);
    }

    /// <summary>
    /// What the strategy would ask for first once the commits being tested are recorded, each with its
    /// more probable result, for an idle worker to build ahead: a twin strategy records everything this
    /// one did, then each running test's likelier result (the bug seen in at least one of its k runs
    /// has chance q·(1 − P(0 of k)), q the mass of its ancestors; seen, it shows in the likeliest
    /// number of runs, <see cref="CrashCounts"/>), and its next pick is the answer. Null while the bad commit is tested
    /// (what the bug looks like is not settled). Asking changes nothing here.
    /// </summary>
    public string? LikelyNext(IReadOnlyList<(string Commit, int Runs)> testing)
    {
        if (!BugDefined || testing.Any(t => _graph.IndexOf(t.Commit) < 0 || t.Commit == _crashing)
            || _recorded.SelectMany(o => o.Runs).FirstOrDefault(r => TitleClusters.IsCrash(r) && IsBugRun(r)) is not { } bugRun)
        {
            return null;
        }
        var twin = new FlakyStrategy(_graph, Options, new Lazy<DecisionBuffers>(() => DecisionBuffers.Made(_graph.Count)));
        twin.BuildsSameAsParent(_sameAsParent.Select(i => _graph.Commits[i]));
        foreach (var outcome in _recorded)
        {
            twin.Record(outcome);
        }
        foreach (var (commit, runs) in testing)
        {
            var showing = twin.CrashCounts(runs);
            var newState = twin.NewStateProbability(_graph.IndexOf(commit));
            var seen = (Options.Fix ? 1 - newState : newState) * (1 - showing[0]) >= 0.5;
            var crashes = seen ? Enumerable.Range(1, runs).MaxBy(j => showing[j]) : 0;
            // At the prices measured so far, so the twin's cost model stays this one's.
            twin.Record(new CommitOutcome(commit, true,
                [.. Enumerable.Repeat(bugRun, crashes), .. Enumerable.Repeat(RunOutcome.Ok(), runs - crashes)],
                BuildSeconds: twin._costs.BuildSeconds, TestSeconds: twin._costs.RunSeconds * runs));
        }
        return twin.Next() is TestCommit next && testing.All(t => t.Commit != next.Commit) ? next.Commit : null;
    }

    /// <summary>The repro chance's posterior standard deviation over its mean.</summary>
    private double ReproSpread()
    {
        var grid = _snapshot.Grid;
        double mean = 0, square = 0;
        for (var cell = 0; cell < grid.Cells; cell++)
        {
            var p = grid.P[grid.PIndex(cell)];
            mean += _snapshot.CellMass(cell) * p;
            square += _snapshot.CellMass(cell) * p * p;
        }
        return mean > 0 ? Math.Sqrt(Math.Max(0, square - mean * mean)) / mean : 0;
    }

    /// <summary>E[(1-p)^n] over the repro chance's posterior (1 before the bug is known).</summary>
    public double ChanceOfMissing(int runs) => BugDefined ? CrashCounts(Math.Max(0, runs))[0] : 1;

    /// <summary>
    /// The chance that j of k runs on a commit with the bug show it, for j = 0..k: binomial in the repro
    /// chance p, averaged over p's posterior (background crashes left out).
    /// </summary>
    private double[] CrashCounts(int runs)
    {
        var grid = _snapshot.Grid;
        var chances = new double[runs + 1];
        for (var cell = 0; cell < grid.Cells; cell++)
        {
            var p = Math.Clamp(grid.P[grid.PIndex(cell)], 1e-12, 1 - 1e-12);
            var mass = _snapshot.CellMass(cell);
            var logChoose = 0.0;
            for (var j = 0; j <= runs; j++)
            {
                if (j > 0)
                {
                    logChoose += Math.Log(runs - j + 1) - Math.Log(j);
                }
                chances[j] += mass * Math.Exp(logChoose + j * Math.Log(p) + (runs - j) * Math.Log(1 - p));
            }
        }
        return chances;
    }

    /// <summary>
    /// Takes the commits out of the culprit's distribution (<see cref="CulpritPosterior.Exclude"/>) and
    /// out of the planner's choice: testing one would test its parent's kernel again.
    /// </summary>
    public void BuildsSameAsParent(IEnumerable<string> commits)
    {
        var fresh = commits.Select(_graph.IndexOf).Where(i => i >= 0 && !_sameAsParent.Contains(i)).Distinct().ToList();
        if (fresh.Count == 0 || !_posterior.Exclude(fresh))
        {
            return;
        }
        _sameAsParent.UnionWith(fresh);
        _notToTest.UnionWith(fresh);
        _snapshot = TakeSnapshot();
    }

    /// <summary>What the planner weighs a test by, from everything recorded so far.</summary>
    private TestPlanner.Inputs PlannerInputs() => new(
        _snapshot,
        _ancestors,
        _notToTest,
        _tested,
        _costs.BuildSeconds,
        _costs.RunSeconds,
        (_usefulRuns + 9.0) / (_builtRuns + 10.0),
        (_broken.Count + 0.5) / (_builds + 10.0),
        Options.RunBudget - _runs,
        Options.Seed,
        DecisiveOdds,
        Options.Fix,
        MassBuffer());

    public Judgement Record(CommitOutcome outcome)
    {
        _recorded.Add(outcome);
        var index = _graph.IndexOf(outcome.Commit);
        if (index < 0 && Options.Fix && (_crashing ?? (outcome.Runs.Any(TitleClusters.IsCrash) ? outcome.Commit : null)) == outcome.Commit)
        {
            _crashing = outcome.Commit;
            index = CulpritPosterior.OutsideTheRange;
        }
        else if (index < 0)
        {
            // Outside the range (the good boundary or a release): the model assumes it good.
            var unrelated = BugDefined ? Unrelated(outcome) : [];
            var bug = outcome.Runs.Count(r => TitleClusters.IsCrash(r)) > unrelated.Count;
            return new Judgement(outcome.Commit, bug ? Verdict.Bad : outcome.Built ? Verdict.Good : Verdict.Skip, UnrelatedRuns: unrelated);
        }

        if (_built.Add(outcome.Commit))
        {
            _builds++;
        }
        _runs += outcome.Runs.Count;
        _costs.Add(outcome);
        _history.Add((index, outcome));
        var isCrashing = outcome.Commit == _crashing;
        if (!outcome.Built || outcome.OnlyInfraErrors)
        {
            // A commit no run could test (its kernel never boots) tells nothing and would tell nothing
            // again: like a broken build, it is skipped and never chosen again.
            if (index > 0)
            {
                _broken.Add(index);
                _notToTest.Add(index);
            }
            return new Judgement(outcome.Commit, Verdict.Skip, Notes: [outcome.Built ? $"no run could test it: {outcome.Runs[0].Describe()}" : $"build failed: {outcome.BuildError}"]);
        }
        if (index >= 0)
        {
            _tested.Add(index);
        }
        _builtRuns += outcome.Runs.Count;
        if (isCrashing)
        {
            _badTests++;
            _badRuns += outcome.Runs.Count;
            _badUsefulRuns += outcome.Runs.Count - outcome.InfraErrors;
        }

        var previousBug = BugDefined ? string.Join("|", BugClusterSet()) : null;
        var changed = false;
        foreach (var run in outcome.Runs)
        {
            changed |= _clusters.Add(run, isCrashing);
        }
        if (changed)
        {
            // New titles make new hypotheses and may regroup earlier crashes: recount every run.
            Replay();
        }
        else
        {
            Observe(index, outcome);
        }
        _snapshot = TakeSnapshot();

        var notes = new List<string>();
        if (TakeRename() is { } renamed)
        {
            notes.Add(renamed);
        }
        Verdict verdict;
        double? probability = null;
        IReadOnlySet<int> unrelatedRuns = new HashSet<int>();
        // The crashing commit is the new state for a cause, the old one for a fix.
        var crashingVerdict = Options.Fix ? Verdict.Good : Verdict.Bad;
        if (!BugDefined)
        {
            verdict = isCrashing ? crashingVerdict : Verdict.Skip;
            probability = isCrashing ? 1.0 : null;
            notes.Add($"the crash has not shown on the crashing commit yet ({_runs} runs)");
        }
        else
        {
            unrelatedRuns = Unrelated(outcome);
            var useful = outcome.Runs.Count(r => r.Result == RunResult.Ok) + outcome.Runs.Count(TitleClusters.IsCrash) - unrelatedRuns.Count;
            if (isCrashing || index == 0)
            {
                verdict = isCrashing ? crashingVerdict : Verdict.Bad;
                probability = 1.0;
            }
            else if (useful == 0)
            {
                verdict = Verdict.Skip;
            }
            else
            {
                var q = NewStateProbability(index);
                verdict = q >= 0.5 ? Verdict.Bad : Verdict.Good;
                probability = verdict == Verdict.Bad ? q : 1 - q;
            }
            var bugNow = BugClusterSet();
            if (!Options.AnyCrash && string.Join("|", bugNow) != previousBug)
            {
                notes.Add(bugNow.Count > 0
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"the bug is taken to be: {string.Join(" / ", bugNow)} ({BugTitlesProbability * 100:0.0}% probability)")
                    : BugInDoubtNote());
            }
            if (FlakinessNote() is { } note)
            {
                notes.Add(note);
            }
        }
        return new Judgement(outcome.Commit, verdict, probability, unrelatedRuns, notes);
    }

    /// <summary>Whether the run or build budget is spent.</summary>
    private bool SpentAll => _runs >= Options.RunBudget || _builds >= Options.MaxBuilds;

    /// <summary>
    /// The runs that settle a rename reading short of sure (<see cref="TitleChangeReading.EvidenceTest"/>)
    /// while the budget lasts: cheaper than a wrong answer, as the commit is built already. Null when
    /// there is no such reading, or nothing more to run.
    /// </summary>
    private TestCommit? RenameEvidenceRun(TitleChangeReading.Reading? reading) =>
        !SpentAll && reading is not null && TitleChangeReading.EvidenceTest(reading, 0, _badRuns) is { } commit
            ? new TestCommit(_graph.Commits[commit], Math.Min(Options.FirstRuns, Options.RunBudget - _runs), 0, 0)
            : null;

    /// <summary>
    /// The commit a group of candidates starts at: the one all others descend from (a group only broken
    /// builds separate is a chain); a title change anywhere in the group shows as one at it: its
    /// parent has the old titles, it and the commits after it the new ones. -1 when there is none.
    /// </summary>
    private int GroupRoot(int group)
    {
        // Every ancestor comes earlier in the walk's post-order, so only the earliest member can be the
        // root: one pass finds it, one checks it (a group can hold the whole range: no pairwise test).
        var root = _snapshot.EarliestMember(group, _ancestors);
        return root >= 0 && _snapshot.AllDescendFrom(group, root, _ancestors) ? root : -1;
    }

    /// <summary>The title-change reading at a commit (see <see cref="TitleChangeReading"/>); null where it does not apply.</summary>
    private TitleChangeReading.Reading? RenameReadingAt(int commit) =>
        commit < 0 || Options.Fix || Options.AnyCrash || Options.BugTitle is not null || !BugDefined
            ? null
            : TitleChangeReading.At(commit, _graph, _ancestors, _clusters, _history, BugClusterSet(), c => _snapshot.ProbabilityOf(c) < RuledOut);

    /// <summary>The second-bug reading against an answer (see <see cref="SecondBugReading"/>); null where it does not apply.</summary>
    private SecondBugReading.Reading? SecondBugReadingAt(int commit) =>
        Options.Fix || Options.AnyCrash || Options.BugTitle is not null || !BugDefined
            ? null
            : SecondBugReading.Against(commit, _graph, _ancestors, _clusters, _roles, _snapshot.BugProbability, _history);

    /// <summary>
    /// Once one commit holds the target, whether the bug more likely changed its titles there than
    /// came in: then the old titles join the bug and the search goes on below (the note says so).
    /// </summary>
    private string? TakeRename()
    {
        var heaviest = _snapshot.HeaviestGroup();
        if (_snapshot.MassOf(heaviest) < Options.Confidence)
        {
            return null;
        }
        var named = GroupRoot(heaviest);
        if (RenameReadingAt(named) is not { Probability: >= TitleChangeReading.Taken } reading)
        {
            return null;
        }
        if (RenameEvidenceRun(reading) is not null)
        {
            // Not sure yet, and runs on built commits can still tell (Next asks for them).
            return null;
        }
        var bug = Enumerable.Range(0, _roles.Count).MaxBy(k => _snapshot.BugProbability(k));
        var newTitle = _roles.Clusters[bug];
        foreach (var old in reading.Renamed)
        {
            _clusters.Join(newTitle, old);
        }
        _renamesHold *= reading.Probability;
        Replay();
        _snapshot = TakeSnapshot();
        return string.Create(CultureInfo.InvariantCulture,
            $"the bug's crashes look renamed at {_graph.Commits[named]}: its parent crashed with {string.Join(" / ", reading.Clusters)} in {reading.OldCrashes}/{reading.ParentRuns} runs, which no later commit shows ({reading.BugCrashes}/{reading.AfterRuns} runs after it crashed with the bug): {string.Join(" / ", reading.Renamed)} taken as the bug's old titles ({reading.Probability * 100:0.0}% probability)");
    }

    private PosteriorSnapshot TakeSnapshot()
    {
        if (_roles.Count == 0)
        {
            return _posterior.Snapshot(_roles, []);
        }
        var crashes = new int[_roles.Count];
        var runs = _history.Sum(h => CountRuns(h.Outcome.Runs, crashes));
        return _posterior.Snapshot(_roles, crashes.Select(x => BugClusters.BackgroundLogEvidence(x, runs)).ToList());
    }

    private void Observe(int index, CommitOutcome outcome)
    {
        if (_roles.Count == 0)
        {
            // No crash yet: nothing to say about the culprit; the runs stay in the history for later.
            return;
        }
        var crashes = new int[_roles.Count];
        var runs = CountRuns(outcome.Runs, crashes);
        // Infra errors say nothing; unrelated crashes are few enough to count as useful here.
        _usefulRuns += runs;
        _posterior.Observe(index, crashes, runs);
    }

    /// <summary>Adds each crash to its tracked cluster's count; returns the runs that were not infra errors.</summary>
    private int CountRuns(IEnumerable<RunOutcome> runs, int[] crashesPerCluster)
    {
        var useful = 0;
        foreach (var run in runs)
        {
            if (run.Result == RunResult.InfraError)
            {
                continue;
            }
            useful++;
            if (BugClusters.ClusterIndex(run, _clusters, _roles, Options.AnyCrash) is var k and >= 0)
            {
                crashesPerCluster[k]++;
            }
        }
        return useful;
    }

    private void Replay()
    {
        _roles = BugClusters.Roles(_clusters, Options.AnyCrash, Options.BugTitle);
        _posterior.Reset(_roles.Count);
        _usefulRuns = 0;
        foreach (var (commit, outcome) in _history)
        {
            if (outcome.Built)
            {
                Observe(commit, outcome);
            }
        }
    }

    private HashSet<int> Unrelated(CommitOutcome outcome) =>
        Enumerable.Range(0, outcome.Runs.Count)
            .Where(i => TitleClusters.IsCrash(outcome.Runs[i]) && !IsBugRun(outcome.Runs[i]))
            .ToHashSet();

    /// <summary>
    /// P(the commit is in the new state: it has the bug, or for a fix the fix) = the mass of its
    /// ancestors.
    /// </summary>
    /// <summary>One buffer of per-commit sums, reused by every step (at 1.3 M commits each would leave 10 MB behind).</summary>
    private double[] MassBuffer() => _buffers.Value.Mass;

    private double NewStateProbability(int commit)
    {
        if (_posterior.WasSplitBy(commit))
        {
            return Math.Clamp(_snapshot.MassOfWholeGroupsBelow(commit, _ancestors), 0, 1);
        }
        var mass = _ancestors.PrefixSums(c => _snapshot.ProbabilityOf(c), MassBuffer());
        return Math.Clamp(_ancestors.SumBelow(commit, mass), 0, 1);
    }

    /// <summary>
    /// Whether a commit not known broken could still split the group's members. Its earliest member, if
    /// not broken, does (of two or more): it is the only member among its own ancestors.
    /// </summary>
    private bool CanBeTold(int group)
    {
        var earliest = _snapshot.EarliestMember(group, _ancestors);
        return (_snapshot.SizeOf(group) > 1 && earliest >= 0 && !_broken.Contains(earliest)) || CanBeTold(_snapshot.MembersOf(group).ToList());
    }

    /// <summary>Whether a commit not known broken could still split <paramref name="members"/> (linear: one prefix count, one sum per commit).</summary>
    private bool CanBeTold(List<int> members)
    {
        var set = new bool[_graph.Count];
        foreach (var m in members)
        {
            set[m] = true;
        }
        var below = _ancestors.PrefixCounts(c => set[c]);
        for (var t = 0; t < _graph.Count; t++)
        {
            if (_broken.Contains(t))
            {
                continue;
            }
            var inside = _ancestors.SumBelow(t, below);
            if (inside > 0 && inside < members.Count)
            {
                return true;
            }
        }
        return false;
    }

    private Finished GiveUp(string why)
    {
        var ranked = Enumerable.Range(0, _graph.Count)
            .Select(c => (Commit: c, P: _snapshot.ProbabilityOf(c)))
            .Where(x => x.P >= CandidateThreshold)
            .OrderByDescending(x => x.P)
            .ThenBy(x => x.Commit)
            .Take(MaxListedCandidates)
            .Select(x => x.Commit)
            .ToList();
        var confidence = ranked.Sum(_snapshot.ProbabilityOf);
        return Finish(new BisectionResult(
            ResultKind.Inconclusive, null, ranked.Select(c => _graph.Commits[c]).ToList(), null, Probabilities(ranked),
            $"{why}; the culprit is one of these with {confidence * 100:0.0}% probability"));
    }

    private Dictionary<string, double> Probabilities(IEnumerable<int> commits) =>
        commits.ToDictionary(c => _graph.Commits[c], _snapshot.ProbabilityOf, StringComparer.Ordinal);

    /// <summary>A log line when the reproducer first looks flaky, and again when the estimate moves.</summary>
    private string? FlakinessNote()
    {
        var p = _snapshot.ReproChance;
        if (p >= 0.9 || (_reportedReproChance is { } last && Math.Abs(last - p) < 0.1))
        {
            return null;
        }
        _reportedReproChance = p;
        return string.Create(CultureInfo.InvariantCulture, $"reproducer is flaky ({p:0.00} repro chance estimate)");
    }

}
