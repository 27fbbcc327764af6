using System.Globalization;
using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>
/// One pass over a job's flow; deterministic given the inputs and the outcomes, so a resume replays it exactly.
/// <paramref name="workers"/> test a round's commits at once (the first is <paramref name="tests"/>, which tests everything else).
/// <paramref name="repo"/> answers the repository's questions (git, or a simulated history); <paramref name="setup"/>
/// brings the strategy and the judge of the ends (default: the spec's, <see cref="BisectionSetup.For"/>); <paramref name="plans"/>
/// keeps the round being tested for a resume, which then tests it without deciding it again; <paramref name="listing"/> is the
/// range listed already (default: listed from the start of <see cref="ExecuteAsync"/>).
/// </summary>
internal sealed class JobExecution(
    JobSpec spec, string jobId, IJobHistory repo, OutcomeLedger ledger, JobLog log, StatusTracker status, CommitTestRunner tests,
    IReadOnlyList<RoundWorker>? workers = null, SpeculativeBuilds? speculative = null, BisectionSetup? setup = null, SameBuildCommits? sameBuild = null,
    RoundPlanFile? plans = null, RangeListing? listing = null)
{
    private readonly IReadOnlyList<RoundWorker> _workers = workers ?? [];

    private readonly Dictionary<string, Judgement> _judgements = new(StringComparer.Ordinal);
    private readonly IVerdictPolicy _causePolicy = StrategyFactory.CausePolicy(spec);
    private readonly BisectionSetup _setup = setup ?? BisectionSetup.For(spec);

    /// <summary>How often a culprit whose parent crashed in verification sends the bisection on (<see cref="VerifiedFinishAsync"/>).</summary>
    private const int MaxReopened = 2;

    private readonly Dictionary<string, Verification> _reopened = new(StringComparer.Ordinal);

    /// <summary>Whether the search below a culprit's crashing parent was made (<see cref="OlderBugAsync"/>): once per job.</summary>
    private bool _searchedBelow;

    private IEndpointJudge Judge => _setup.Judge;

    private IVerdictPolicy Policy => spec.Direction == Direction.Cause ? _causePolicy : new FixDirectionPolicy(_causePolicy);

    public async Task<JobResult> ExecuteAsync(CancellationToken ct)
    {
        var crashing = spec.Bad;
        await using var ownListing = listing is null ? RangeListing.Start(repo, spec, ct) : null;
        var range = listing ?? ownListing!;
        log.Line(spec.Direction == Direction.Cause
            ? $"bisecting cause commit starting from {crashing}"
            : $"bisecting fixing commit since {crashing}");

        var reproduce = new List<CommitOutcome> { await TestAsync(crashing, "reproduce", ct) };
        // The strategy's judge says whether the crash reproduced, or asks for more runs first (a flaky reproducer may miss its first runs).
        EndpointStep said;
        while ((said = Judge.JudgeCrashing(reproduce)) is MoreRuns more)
        {
            log.Line(more.Why);
            reproduce.Add(await TestAsync(crashing, more.Runs, "reproduce", ct));
        }
        if (((EndpointVerdict)said).Verdict != Verdict.Bad)
        {
            var reproduced = reproduce[^1];
            var why = reproduced.Built ? $"all runs: {Summary(reproduced)}" : $"build failed: {reproduced.BuildError}";
            log.Line($"the crash does not reproduce on {crashing}: {why}");
            return await FinishAsync(new BisectionResult(ResultKind.NotReproduced, null, [], Message: $"the crash does not reproduce on {crashing} ({why})"), null);
        }

        string newEnd, oldEnd;
        if (spec.Direction == Direction.Cause)
        {
            newEnd = crashing;
            string? good = spec.Good;
            if (good is not null && TestCommandCheck.CannotRunStatus(reproduce) is { } status)
            {
                log.Line(TestCommandCheck.Checking(status, crashing, good));
                TestCommandCheck.ThrowIfSame(status, good, await TestAsync(good, 1, "check", ct));
            }
            if (spec.MergeBase is { } mergeBase)
            {
                if (await MergeBaseCrashesAsync(mergeBase, [good!], reproduce, ct) is { } notGood)
                {
                    return await FinishAsync(notGood, null);
                }
                good = mergeBase;
            }
            foreach (var goodsBase in spec.GoodMergeBases ?? [])
            {
                if (await MergeBaseCrashesAsync(goodsBase, [good!, .. spec.MoreGood!], reproduce, ct) is { } notGood)
                {
                    return await FinishAsync(notGood, null);
                }
            }
            if (good is null)
            {
                var (goodRelease, newestBad) = await FindGoodReleaseAsync(reproduce, ct);
                if (goodRelease is null)
                {
                    log.Line("no good release found: the crash reproduces on every release tested");
                    return await FinishAsync(new BisectionResult(ResultKind.NoGoodCommit, null, [], Message: "the crash reproduces on every release tested"), null);
                }
                good = goodRelease;
                // Like syzbot: the range starts at the newest release that crashed, not at the bad commit.
                newEnd = newestBad ?? crashing;
            }
            oldEnd = good;
        }
        else
        {
            oldEnd = crashing;
            newEnd = spec.Good ?? throw new JobException("a fix bisection needs --good (the newer commit without the crash)");
            var fixedTests = new List<CommitOutcome> { await TestAsync(newEnd, "fixed", ct) };
            if (TestCommandCheck.CannotRunStatus(reproduce) is { } status)
            {
                TestCommandCheck.ThrowIfSame(status, newEnd, fixedTests[0], fixBisection: true);
            }
            while ((said = Judge.JudgeRelease(reproduce, fixedTests)) is MoreRuns more)
            {
                log.Line(more.Why);
                fixedTests.Add(await TestAsync(newEnd, more.Runs, "fixed", ct));
            }
            var fixedOutcome = fixedTests[^1];
            if (((EndpointVerdict)said).Verdict != Verdict.Good)
            {
                var why = fixedOutcome.Built ? $"all runs: {Summary(fixedOutcome)}" : $"build failed: {fixedOutcome.BuildError}";
                log.Line($"the crash is not gone on {newEnd}: {why}");
                return await FinishAsync(new BisectionResult(ResultKind.NoGoodCommit, null, [], Message: $"the crash is not gone on {newEnd} ({why})"), null);
            }
        }

        log.Line(string.Join(' ', ["# git bisect start", .. spec.FirstParent ? ["--first-parent"] : Array.Empty<string>(), newEnd, oldEnd, .. spec.MoreGood ?? []]));
        var graph = await range.GetAsync(newEnd, oldEnd, ct);
        foreach (var worker in _workers)
        {
            worker.Tests.Tester.RangeListed(graph);
        }
        var strategy = _setup.Create(graph, Policy);
        // The ends' tests so far: the crashing one defines the bug (for a fix it lies outside the range).
        // Older releases the walk judged bad lie inside the range: their runs are evidence as well.
        foreach (var known in ledger.All.Where(e => (e.Outcome.Commit == newEnd || e.Outcome.Commit == crashing || e.Phase == "release" && graph.Contains(e.Outcome.Commit))
                     && e.Phase is "reproduce" or "fixed" or "release").Select(e => e.Outcome))
        {
            strategy.Record(known);
        }
        // The builds so far (the ends') say which commits cannot change the build: not candidates.
        // The range's changes are read once, here, when the tester says what a build read (the
        // crashing commit's build always came first), so a resume tells the same commits at the same points.
        if (sameBuild is not null && sameBuild.AnyInputs())
        {
            await sameBuild.LoadAsync(newEnd, oldEnd, ct);
        }
        TellSameBuilds(strategy);
        StoredStepReplay.FastForward(ledger, _workers.Count <= 1, (outcome, roundTests) => Recorded(strategy, outcome, roundTests));
        // The round a kill cut short (or was about to start) as it was planned: tested again without its decision.
        var planned = PlannedRound(graph);
        var rounds = new RoundTesting(repo, ledger, log, status, tests, _workers, Recorded);

        while (true)
        {
            var fromPlan = planned is not null;
            var step = planned is not null ? new TestRound(planned) : strategy.NextRound(Math.Max(1, _workers.Count));
            planned = null;
            if (step is Finished finished)
            {
                if (await VerifiedFinishAsync(finished.Result, strategy, reproduce, crashing, oldEnd, graph, ct) is { } done)
                {
                    return done;
                }
                continue;
            }
            var round = ((TestRound)step).Tests;
            ledger.BeginRound(round.Count);
            if (!fromPlan)
            {
                plans?.Save(ledger.Rounds, round);
            }
            // A planned round's outcomes are recorded as stored ones are: without the decision that chose them.
            int? undecided = fromPlan ? round.Count : null;
            await rounds.TestAsync(strategy, round, undecided, ct);
        }
    }

    /// <summary>
    /// The next round as the pass before planned it (<paramref name="plans"/>), when it is that round and
    /// the outcomes stored of it fit: its commits are in the range and its stored tests among them. Null: decide it.
    /// </summary>
    private IReadOnlyList<TestCommit>? PlannedRound(CommitGraph graph) =>
        plans?.Load(ledger.Rounds + 1) is { } round && round.All(t => graph.Contains(t.Commit))
            && round.Select(t => t.Commit).Distinct().Count() == round.Count && round.Count <= Math.Max(1, _workers.Count)
            && ledger.StoredAheadFits(round.Select(t => t.Commit).ToList())
            ? round
            : null;

    /// <summary>
    /// The strategy's answer, checked (<see cref="CulpritVerifier"/>) before anyone reads it. A cause
    /// whose revert keeps the crash on a clean parent, or a group of candidates only broken builds
    /// separate whose joint revert keeps it, came in and went again: the bad commit's crash comes from
    /// the commit that brought it back (<see cref="ReintroductionSearch"/>), which is then checked instead.
    /// Null: the culprit's parent crashed in verification, and the bisection goes on.
    /// </summary>
    private async Task<JobResult?> VerifiedFinishAsync(BisectionResult result, IBisectionStrategy strategy, IReadOnlyList<CommitOutcome> reproduce,
        string crashing, string oldEnd, CommitGraph graph, CancellationToken ct)
    {
        var group = result is { Kind: ResultKind.Inconclusive, OnlyBrokenBuildsBetween: true } ? Chain(graph, result.Candidates) : null;
        if (!spec.Verify || (result.Kind != ResultKind.Found && group is null))
        {
            return await FinishAsync(result, strategy);
        }
        var cause = spec.Direction == Direction.Cause;
        var verifier = VerifierFor(result.BugTitles, reproduce, crashing, strategy, graph);
        var search = new ReintroductionSearch(spec, repo, log, tests, range => _setup.Create(range, Policy));
        if (group is not null)
        {
            if (!cause)
            {
                return await FinishAsync(result, strategy);
            }
            log.Line($"verifying the candidates: testing {spec.Bad} with {string.Join(", ", group)} reverted");
            var applied = await verifier.TestAppliedAsync(group, ct);
            if (applied is not { Said: "failed", Outcome: { } kept, On: { } keptOn } || await search.FindAsync(group, keptOn, kept, ct) is not { } cameBack)
            {
                log.Line(applied.Said == "passed"
                    ? "the crash goes with the candidates reverted: one of them brought it in"
                    : "the candidates' revert does not tell more");
                return await FinishAsync(result, strategy);
            }
            if (cameBack.Kind != ResultKind.Found)
            {
                return await FinishAsync(cameBack, strategy);
            }
            result = cameBack;
            verifier = VerifierFor(cameBack.BugTitles, reproduce, crashing, strategy, graph);
        }
        // A culprit named again after its parent's runs went to the strategy keeps its verification.
        var again = _reopened.TryGetValue(result.Culprit!, out var earlier);
        var verification = again ? earlier! : await verifier.VerifyAsync(result.Culprit!, ct);
        // A parent whose runs all crashed with other crashes is not checked either way: its runs may show the bug under an old title.
        if (!again && cause && group is null && verification.ParentOk != true && verifier.ParentTest is { } parentTest && parentTest.Runs.Any(r => r.IsCrash)
            && graph.Contains(parentTest.Commit) && _reopened.Count < MaxReopened)
        {
            return Reopened(parentTest);
        }
        var keptCrash = cause && group is null && verification is { ParentOk: true, Revert: "failed" } && verifier.RevertTest is not null;
        // Only where the bug's titles are known: were any crash the bug (the classic strategy's rule), another bug's crash
        // in the parent's new runs would send the bisection back for nothing.
        if (keptCrash && !again && result.BugTitles is { Count: > 0 } && _reopened.Count < MaxReopened
            && await verifier.ParentCrashesOnRecheckAsync(result.Culprit!, graph.Contains, ct)
            && verifier.ParentTest is { } recheck)
        {
            return Reopened(recheck);
        }
        // The revert brought back a crash the bad commit never shows: the bug may be older, under titles the culprit changed.
        // The parent's runs, should they show that crash or the bug's, go to the strategy, which may read the rename.
        if (cause && group is null && !again && verification.BroughtBack is { } returning && _reopened.Count < MaxReopened
            && await verifier.ParentCrashesOnRecheckAsync(result.Culprit!, graph.Contains, ct, returning)
            && verifier.ParentTest is { } shown)
        {
            return Reopened(shown);
        }
        // A culprit named again, or verified although its parent showed the bug in the bisection: the parent's runs read again.
        var reread = cause && group is null ? await ParentRunsToReadAsync(result, again, verification, crashing, graph, ct) : null;
        if (again && reread is { Crashes: 0 } cleared && verification is { ParentOk: false, Revert: "passed", BroughtBack: null })
        {
            verification = verification with { ParentOk = true, Doubtful = false, Reason = null };
            log.Line($"the culprit's parent {cleared.Parent} shows none of the crashes now taken for the bug ({string.Join(" / ", result.BugTitles!)}): clean of it");
            log.Line(CulpritVerifier.VerifiedLine(true, false, null, verification.Revert, verification.RevertedOn));
        }
        else if (reread is { } parentRuns && !_searchedBelow && await OlderBugAsync(result, parentRuns, reproduce, crashing, strategy, graph, ct) is { } older)
        {
            (result, verification) = older;
        }
        else if (keptCrash && verifier.RevertTest is { } stays
            && await search.FindAsync([result.Culprit!], verification.RevertedOn ?? spec.Bad, stays, ct) is { } back)
        {
            if (back.Kind != ResultKind.Found)
            {
                return await FinishAsync(back, strategy);
            }
            // Judged by the crash the search followed: the one that stayed with the first culprit reverted.
            result = back;
            verification = await VerifierFor(back.BugTitles, reproduce, crashing, strategy, graph).VerifyAsync(back.Culprit!, ct);
        }
        else if (cause && group is null && verification.ParentOk == true && verifier.CleanDescendant is { } clean)
        {
            // The bug went away after the culprit: the bad commit's crash came back with a later commit. A search that names
            // none says the clean runs more likely missed a rare bug: the culprit stands, with what its revert left unchecked.
            if (await search.FindAfterCleanAsync([result.Culprit!], clean.Commit, reproduce, ct) is { Kind: ResultKind.Found } later)
            {
                result = later;
                verification = await VerifierFor(later.BugTitles, reproduce, crashing, strategy, graph).VerifyAsync(later.Culprit!, ct);
            }
            else
            {
                log.Line($"no commit after {clean.Commit} is found to bring the crash back: its clean runs may have missed the bug; the culprit stands");
            }
        }
        if (verification.RevertedOn is { } on)
        {
            verification = verification with { UncheckedShare = RevertBases.UncheckedShare(graph, result.Culprit!, on) };
        }
        if (await GoodCommitCrashesAsync(result.Culprit!, oldEnd, verification, ct) is { } goodCrashes)
        {
            return await FinishAsync(goodCrashes, strategy, verification);
        }
        return await FinishAsync(Verified(result, strategy, verification), strategy, verification);

        // The culprit's parent crashed in verification: the bug is older than the culprit named. Its runs are evidence
        // like any other; the bisection goes on with them (null: no result yet), and the culprit, named again, keeps this verification.
        JobResult? Reopened(CommitOutcome parentTest)
        {
            _reopened[result.Culprit!] = verification;
            log.Line($"the culprit's parent {parentTest.Commit} crashes: bisecting on with its runs");
            _judgements[parentTest.Commit] = strategy.Record(parentTest);
            return null;
        }
    }

    /// <summary>
    /// The bug below the culprit's parent (<see cref="OlderBugSearch"/>), once per job: where the parent showed a crash of the
    /// bug's titles as the strategy holds them after reading the parent's runs (one is enough: a stray crash of another kind
    /// would have left the bug's titles as the parent's runs were read), the commit the search names there, with its
    /// verification; null when the search names none, or one whose verification does not prove it (the culprit then stands with
    /// its own verification: doubtful when its parent crashed in verification's runs).
    /// </summary>
    private async Task<(BisectionResult, Verification)?> OlderBugAsync(BisectionResult result, ParentRuns parent,
        IReadOnlyList<CommitOutcome> reproduce, string crashing, IBisectionStrategy strategy, CommitGraph graph, CancellationToken ct)
    {
        _searchedBelow = true;
        if (parent.Crashes == 0)
        {
            return null;
        }
        var search = new OlderBugSearch(log, tests, range => _setup.Create(range, Policy));
        if (await search.FindAsync(result.Culprit!, parent.Parent, parent.Tests, parent.Crashes, graph, ledger.Known.Select(e => e.Outcome).ToList(), ct) is not { } older)
        {
            return null;
        }
        // It takes the place of a culprit named twice only on proof: a clean parent, and the bad commit clean with it reverted.
        var verification = await VerifierFor(older.BugTitles, reproduce, crashing, strategy, graph).VerifyAsync(older.Culprit!, ct);
        if (verification is not { Doubtful: false, ParentOk: true, Revert: "passed" })
        {
            var why = verification.Doubtful ? $"it is doubtful too: {verification.Reason}"
                : verification.Revert != "passed" ? Reports.ReportPhrases.RevertCheck(verification.Revert, false, verification.RevertedOn)
                : "its parent is not shown clean";
            log.Line($"{older.Culprit} does not take the place of {result.Culprit}: {why}; {result.Culprit} stands");
            return null;
        }
        return (older, verification);
    }

    /// <summary>A culprit's first parent in the range, every built test the job made of it, and how many of their runs showed the bug.</summary>
    private sealed record ParentRuns(string Parent, IReadOnlyList<CommitOutcome> Tests, int Crashes);

    /// <summary>
    /// The culprit's parent's runs to read again, or null. Named again after its parent's runs went to the strategy: read by
    /// the bug's titles as the strategy holds them now, having seen those runs on a commit it judges clean (none: they were
    /// another crash, not the bug; some: the strategy's one repro chance reads them as strays). Verified although the parent
    /// showed the bug in the bisection (the strategy judged it clean, reading the crashes as strays): the same story told
    /// earlier, read by the bug's title the crashing commit shows most, which such a parent shows too, not by a title the
    /// strategy took in as the bug's old or other one.
    /// </summary>
    private async Task<ParentRuns?> ParentRunsToReadAsync(BisectionResult result, bool again, Verification verification, string crashing,
        CommitGraph graph, CancellationToken ct)
    {
        if (result.BugTitles is not { Count: > 0 } held)
        {
            return null;
        }
        if (again)
        {
            return await ParentBugCrashesAsync(result.Culprit!, held, graph, ct);
        }
        return verification is { ParentOk: true, Doubtful: false, Revert: "passed" } && MostShown(crashing, held) is { } main
            ? await ParentBugCrashesAsync(result.Culprit!, [main], graph, ct)
            : null;
    }

    /// <summary>Of <paramref name="titles"/>, the one the commit's runs show most often (null: none).</summary>
    private string? MostShown(string commit, IReadOnlyList<string> titles)
    {
        var runs = TestsOf(commit).Where(o => o.Built).SelectMany(o => o.Runs).Where(r => r.IsCrash).ToList();
        return titles.Select(t => (Title: t, Runs: runs.Count(r => r.ShowsAnyOf([t])))).Where(s => s.Runs > 0)
            .OrderByDescending(s => s.Runs).Select(s => s.Title).FirstOrDefault();
    }

    /// <summary>The culprit's first parent's runs read by <paramref name="titles"/>; null when the parent is outside the range.</summary>
    private async Task<ParentRuns?> ParentBugCrashesAsync(string culprit, IReadOnlyList<string> titles, CommitGraph graph, CancellationToken ct)
    {
        if (await repo.ParentsAsync(culprit, ct) is not [var parent, ..] || !graph.Contains(parent))
        {
            return null;
        }
        var parentTests = ledger.Known.Where(e => e.Outcome.Commit == parent && e.Outcome.Built).Select(e => e.Outcome).ToList();
        return new ParentRuns(parent, parentTests, parentTests.Sum(o => o.Runs.Count(r => r.ShowsAnyOf(titles))));
    }

    /// <summary>The candidates newest first when each is an ancestor of the newest (a chain a revert can undo in turn), else null.</summary>
    private static IReadOnlyList<string>? Chain(CommitGraph graph, IReadOnlyList<string> candidates)
    {
        var ordered = candidates.Select(graph.IndexOf).Order().ToList();
        if (ordered.Count == 0 || ordered[0] < 0)
        {
            return null;
        }
        return ordered.Skip(1).All(i => graph.Ancestry.IsAncestor(i, ordered[0])) ? ordered.Select(i => graph.Commits[i]).ToList() : null;
    }

    /// <summary>The verifier of an answer, judging crashes by the bug's titles as the strategy holds them.</summary>
    private CulpritVerifier VerifierFor(IReadOnlyList<string>? bugTitles, IReadOnlyList<CommitOutcome> reproduce, string crashing, IBisectionStrategy strategy,
        CommitGraph graph) =>
        new(spec, repo, log, tests,
            o => _causePolicy.Judge(o) == Verdict.Bad && (bugTitles is null || o.Runs.Any(r => r.ShowsAnyOf(bugTitles))),
            TestsOf,
            reproduce, r => r.IsCrash && (bugTitles is null || r.ShowsAnyOf(bugTitles)),
            bugTitles is null ? null : (on, revert) => RevertReading.Read(
                TestsOf(on).Where(o => o.Built).SelectMany(o => o.Runs).ToList(),
                revert.Runs, bugTitles,
                ledger.Known.Where(e => e.Phase == "verify-parent" || (_judgements.TryGetValue(e.Outcome.Commit, out var j) && j.Verdict == Verdict.Good))
                    .SelectMany(e => e.Outcome.Runs).ToList(),
                _judgements.Where(j => j.Value.Verdict == Verdict.Bad && j.Key != on).SelectMany(j => TestsOf(j.Key)).Where(o => o.Built)
                    .SelectMany(o => o.Runs).ToList()),
            strategy.ChanceOfMissing,
            new RevertBases(repo, graph, crashing, JudgedBad).FindAsync,
            commit => _judgements.TryGetValue(commit, out var judgement) ? judgement.Verdict : null,
            bugTitles);

    private bool JudgedBad(string commit) => _judgements.TryGetValue(commit, out var judgement) && judgement.Verdict == Verdict.Bad;

    /// <summary>
    /// A commit's tests as it is, as far as the job has reached (a resumed job never reads ahead): the bisection's and
    /// the ends', and verification's more runs of a crashing commit; not verification's own tests of a parent or a revert.
    /// </summary>
    private IReadOnlyList<CommitOutcome> TestsOf(string commit) =>
        ledger.Known.Where(e => e.Outcome.Commit == commit
            && (!e.Phase.StartsWith("verify", StringComparison.Ordinal) || e.Phase == CulpritVerifier.CrashingPhase)).Select(e => e.Outcome).ToList();

    /// <summary>
    /// Tells the strategy the commits the builds so far show cannot change the build
    /// (<see cref="SameBuildCommits"/>), before it chooses again; logs them once.
    /// </summary>
    private void TellSameBuilds(IBisectionStrategy strategy)
    {
        if (sameBuild?.FindNew() is not { Count: > 0 } found)
        {
            return;
        }
        foreach (var line in sameBuild.Lines(found))
        {
            log.Line(line);
        }
        strategy.BuildsSameAsParent(found.Select(f => f.Commit));
    }

    /// <summary>
    /// Records a bisection test's stored outcome with the strategy and logs its runs and verdict.
    /// <paramref name="storedRoundTests"/>: the outcome is of a round tested on a resume without its decision
    /// (taken back from the store, or tested as planned before), of that many tests, which the strategy is
    /// told (<see cref="IBisectionStrategy.RecordStored"/>).
    /// </summary>
    private void Recorded(IBisectionStrategy strategy, CommitOutcome outcome, int? storedRoundTests = null)
    {
        var judgement = storedRoundTests is { } tests ? strategy.RecordStored(outcome, tests) : strategy.Record(outcome);
        _judgements[outcome.Commit] = judgement;
        LogRuns(outcome, judgement);
        // A failed build was logged when it happened; the strategy's own note would say it twice.
        foreach (var note in outcome.Built ? judgement.Notes ?? [] : [])
        {
            log.Line(note);
        }
        var term = judgement.Verdict switch
        {
            Verdict.Bad => spec.TermNew,
            Verdict.Good => spec.TermOld,
            _ => "skip",
        };
        var probability = judgement.Probability is { } p ? $" ({p * 100:0.0}% probability)" : "";
        log.Line($"# git bisect {term} {outcome.Commit}{probability}");
        status.CommitDone();
        TellSameBuilds(strategy);
    }

    /// <summary>
    /// A culprit whose parent is the good commit, and that parent crashed when retested: the good
    /// commit was never good, so no commit of the range is the culprit. Its own result, not a doubtful culprit.
    /// </summary>
    private async Task<BisectionResult?> GoodCommitCrashesAsync(string culprit, string good, Verification verification, CancellationToken ct)
    {
        if (spec.Direction != Direction.Cause || verification.ParentOk != false)
        {
            return null;
        }
        var parents = await repo.ParentsAsync(culprit, ct);
        if (parents.Count == 0 || parents[0] != good)
        {
            return null;
        }
        // Every test of the good commit counts (verification may have reused the walk's runs).
        var tests = ledger.All.Where(e => e.Outcome.Commit == good && e.Outcome.Built).Select(e => e.Outcome).ToList();
        var why = $"{tests.Sum(t => t.Crashes)} of {tests.Sum(t => t.Runs.Count)} runs crashed";
        log.Line($"the crash reproduces on the good commit {good}: {why}");
        return new BisectionResult(ResultKind.GoodCommitCrashes, null, [],
            Message: $"the crash reproduces on the good commit {good} ({why}): the culprit is older than the range");
    }

    /// <summary>
    /// A good commit given is not an ancestor of the bad one: a merge base of the bad commit and the
    /// good commits is tested first, as git bisect does, and judged as a release is. Null when it is
    /// good (with one good commit, it becomes the range's good end); else the result: the crash was
    /// fixed between it and the good commits, or it cannot be tested.
    /// </summary>
    private async Task<BisectionResult?> MergeBaseCrashesAsync(string mergeBase, IReadOnlyList<string> goods, IReadOnlyList<CommitOutcome> crashing, CancellationToken ct)
    {
        log.Line(goods is [var good]
            ? $"good commit {good} is not an ancestor of {spec.Bad}: a merge base must be tested"
            : $"a merge base of {spec.Bad} and the good commits must be tested: {mergeBase}");
        var (verdict, tests) = await JudgedAsReleaseAsync(mergeBase, "merge-base", crashing, checkCommand: false, ct);
        var goodCommits = goods.Count == 1 ? $"the good commit {goods[0]}" : $"the good commits {string.Join(", ", goods)}";
        var message = verdict switch
        {
            Verdict.Good => null,
            Verdict.Bad => $"the merge base {mergeBase} is bad: the crash was fixed between it and {goodCommits}",
            _ => $"the merge base {mergeBase} cannot be tested ({(tests[^1].Built ? Summary(tests[^1]) : "build failed")}): give a good commit that is an ancestor of {spec.Bad}",
        };
        if (message is null)
        {
            // As git bisect logs it: the merge base is a good commit now.
            log.Line($"# git bisect {spec.TermOld} {mergeBase}");
            return null;
        }
        log.Line(message);
        return new BisectionResult(ResultKind.NoGoodCommit, null, [], Message: message);
    }

    /// <summary>
    /// Walks back over releases, newest first, until one is judged good; returns it and the newest
    /// release judged bad on the way (null if none was).
    /// </summary>
    private async Task<(string? Good, string? NewestBad)> FindGoodReleaseAsync(IReadOnlyList<CommitOutcome> crashing, CancellationToken ct)
    {
        IEnumerable<(string Tag, string Commit)> releases = await repo.ReleaseTagsBeforeAsync(spec.Bad, ct);
        if (spec.Kernel is { } kernel)
        {
            // Like syzbot: recent releases one by one, older ones sparser, none before --oldest-release.
            var all = releases.ToList();
            var picked = Kernel.Releases.ReleaseTags.Pick(all.Select(r => r.Tag), kernel.OldestRelease).ToHashSet();
            releases = all.Where(r => picked.Contains(r.Tag));
        }
        string? newestBad = null;
        // A release judged bad has the bug as the crashing commit does: its crashes tell the bug's titles and
        // repro chance too (a title the crashing commit's few runs missed then counts as the bug's on older releases).
        var withBug = new List<CommitOutcome>(crashing);
        foreach (var (tag, commit) in releases)
        {
            log.Line($"testing release {tag}");
            var (verdict, tests) = await JudgedAsReleaseAsync(commit, "release", crashing, checkCommand: newestBad is null, ct, withBug);
            if (verdict == Verdict.Good)
            {
                return (commit, newestBad);
            }
            if (verdict == Verdict.Bad)
            {
                newestBad ??= commit;
                withBug.AddRange(tests.Where(t => t.Built));
            }
        }
        return (null, newestBad);
    }

    /// <summary>
    /// Tests a commit outside the range (a release, a merge base) and judges it as the endpoint judge
    /// judges a release, with more runs while it asks for them. With <paramref name="checkCommand"/> its
    /// first test is also <see cref="TestCommandCheck"/>'s check (the first release walked).
    /// <paramref name="withBug"/>: the tests of every commit known to have the bug (default: the crashing commit's).
    /// </summary>
    private async Task<(Verdict Verdict, List<CommitOutcome> Tests)> JudgedAsReleaseAsync(
        string commit, string phase, IReadOnlyList<CommitOutcome> crashing, bool checkCommand, CancellationToken ct,
        IReadOnlyList<CommitOutcome>? withBug = null)
    {
        var tests = new List<CommitOutcome> { await TestAsync(commit, phase, ct) };
        if (checkCommand && TestCommandCheck.CannotRunStatus(crashing) is { } status)
        {
            TestCommandCheck.ThrowIfSame(status, commit, tests[0]);
        }
        EndpointStep said;
        while ((said = Judge.JudgeRelease(withBug ?? crashing, tests)) is MoreRuns more)
        {
            log.Line(more.Why);
            tests.Add(await TestAsync(commit, more.Runs, phase, ct));
        }
        var verdict = (EndpointVerdict)said;
        if (verdict.Why is { } why)
        {
            log.Line(why);
        }
        return (verdict.Verdict, tests);
    }

    /// <summary>Tests a commit outside the bisection proper (the ends, releases) and logs its runs.</summary>
    private Task<CommitOutcome> TestAsync(string commit, string phase, CancellationToken ct) => TestAsync(commit, spec.Runs, phase, ct);

    private async Task<CommitOutcome> TestAsync(string commit, int runs, string phase, CancellationToken ct)
    {
        var outcome = await tests.TestAsync(commit, runs, phase, ct);
        LogRuns(outcome, null);
        status.CommitDone();
        return outcome;
    }

    private void LogRuns(CommitOutcome outcome, Judgement? judgement)
    {
        foreach (var line in RunLines.For(outcome, judgement?.UnrelatedRuns))
        {
            log.Line(line);
        }
    }

    private static string Summary(CommitOutcome o)
    {
        var parts = o.Runs.GroupBy(r => r.Describe()).Select(g => g.Count() == o.Runs.Count ? g.Key : $"{g.Count()}x {g.Key}");
        return string.Join(", ", parts);
    }

    /// <summary>
    /// A found culprit's confidence after verification (<see cref="VerifiedConfidence"/>): the
    /// posterior's, less what an unchecked or weak revert leaves open about where the bad commit's
    /// crash comes from; the log says so when it is lowered. A doubtful culprit is left as it is
    /// (the doubt is its own answer), as is a result without a stated confidence.
    /// </summary>
    private BisectionResult Verified(BisectionResult result, IBisectionStrategy strategy, Verification? verification)
    {
        if (verification is null or { Doubtful: true } || result.Kind != ResultKind.Found || result.Confidence is not { } posterior)
        {
            return result;
        }
        var missed = verification.Revert == "passed" ? verification.RemovedMissChance ?? strategy.ChanceOfMissing(verification.RevertRuns) : 1;
        // A revert on an earlier crashing commit says nothing of a reintroduction after it.
        var revertLooksClean = verification.UncheckedShare + (1 - verification.UncheckedShare) * missed;
        var verified = VerifiedConfidence.Of(posterior, revertLooksClean);
        // A revert that kept another of the bad commit's crashes: the culprit is that of the bug only as far as the removed crash is the more frequent.
        var stated = verified * (1 - verification.OtherBugDoubt);
        // Said only when it is worth saying and shows at the log's precision ("lowered from 99.6% to 99.6%" says nothing).
        if (posterior - verified >= 0.0005 && Percent(posterior) != Percent(verified))
        {
            var why = verification is { Revert: "passed", RevertedOn: { } on }
                ? string.Create(CultureInfo.InvariantCulture,
                    $"the revert was tested on {on}, not on the bad commit: {verification.UncheckedShare * 100:0}% of the commits after the culprit come after {on}, and {verification.RevertRuns} clean runs there would miss the bug with {missed * 100:0.0}% chance")
                : verification.Revert == "passed"
                ? string.Create(CultureInfo.InvariantCulture,
                    $"{verification.RevertRuns} clean runs of the revert would miss the bug with {revertLooksClean * 100:0.0}% chance, so they do not show that the bad commit's crash comes from the culprit")
                : verification.Revert == "masked"
                ? "every run of the revert crashed with another crash, so nothing shows that the bad commit's crash comes from the culprit"
                : "the revert was not tested, so nothing shows that the bad commit's crash comes from the culprit";
            log.Line(string.Create(CultureInfo.InvariantCulture, $"culprit confidence lowered from {Percent(posterior)}% to {Percent(verified)}%: {why}"));
        }
        if (verified - stated >= 0.0005 && Percent(verified) != Percent(stated))
        {
            log.Line(string.Create(CultureInfo.InvariantCulture,
                $"culprit confidence lowered from {Percent(verified)}% to {Percent(stated)}%: the crash the revert keeps may be the bad commit's most frequent ({verification.OtherBugDoubt * 100:0.0}% chance)"));
        }
        return result with { Confidence = stated };

        static string Percent(double p) => (p * 100).ToString("0.0", CultureInfo.InvariantCulture);
    }

    private async Task<JobResult> FinishAsync(BisectionResult result, IBisectionStrategy? strategy, Verification? verification = null)
    {
        var reproChance = (strategy as Core.Flaky.FlakyStrategy)?.ReproChance;
        var report = new ResultBuilder(spec, jobId, repo, ledger.All, _judgements, strategy?.Name ?? spec.Strategy, reproChance,
            speculative?.Count(ledger.All.Select(e => e.Outcome)), sameBuild?.Count ?? 0);
        var built = await report.BuildAsync(result, verification, CancellationToken.None);
        foreach (var line in built.LogLines)
        {
            log.Line(line);
        }
        return built.Result;
    }
}
