using Culprit.Core.Domain;
using Culprit.Core.Strategies;
using Culprit.Git;

namespace Culprit.Jobs;

/// <summary>One pass over a job's flow; deterministic given the inputs and the outcomes, so a resume replays it exactly.</summary>
internal sealed class JobExecution(
    JobSpec spec, string jobId, GitRepository repo, string workDir, OutcomeLedger ledger, JobLog log, StatusTracker status, CommitTestRunner tests)
{
    private readonly Dictionary<string, Judgement> _judgements = new(StringComparer.Ordinal);
    private readonly IVerdictPolicy _causePolicy = AnyCrashPolicy.Instance;

    private IVerdictPolicy Policy => spec.Direction == Direction.Cause ? _causePolicy : new FixDirectionPolicy(_causePolicy);

    public async Task<JobResult> ExecuteAsync(CancellationToken ct)
    {
        var crashing = spec.Bad;
        log.Line(spec.Direction == Direction.Cause
            ? $"bisecting cause commit starting from {crashing}"
            : $"bisecting fixing commit since {crashing}");

        var reproduced = await TestAsync(crashing, "reproduce", ct);
        // A flaky reproducer may miss its first runs: the flaky strategy tries twice more with double the runs.
        for (var attempt = 1; attempt <= 2 && spec.Strategy == "flaky" && reproduced.Built && _causePolicy.Judge(reproduced) != Verdict.Bad; attempt++)
        {
            log.Line($"no crash in {reproduced.Runs.Count} runs on {crashing}: trying again with {spec.Runs << attempt} runs");
            reproduced = await TestAsync(crashing, spec.Runs << attempt, "reproduce", ct);
        }
        if (_causePolicy.Judge(reproduced) != Verdict.Bad)
        {
            var why = reproduced.Built ? $"all runs: {Summary(reproduced)}" : $"build failed: {reproduced.BuildError}";
            log.Line($"the crash does not reproduce on {crashing}: {why}");
            return await FinishAsync(new BisectionResult(ResultKind.NotReproduced, null, [], Message: $"the crash does not reproduce on {crashing} ({why})"), null);
        }

        string newEnd, oldEnd;
        if (spec.Direction == Direction.Cause)
        {
            newEnd = crashing;
            var good = spec.Good ?? await FindGoodReleaseAsync(crashing, ct);
            if (good is null)
            {
                log.Line("no good release found: the crash reproduces on every release tested");
                return await FinishAsync(new BisectionResult(ResultKind.NoGoodCommit, null, [], Message: "the crash reproduces on every release tested"), null);
            }
            oldEnd = good;
        }
        else
        {
            oldEnd = crashing;
            newEnd = spec.Good ?? throw new JobException("a fix bisection needs --good (the newer commit without the crash)");
            var fixedOutcome = await TestAsync(newEnd, "fixed", ct);
            if (_causePolicy.Judge(fixedOutcome) != Verdict.Good)
            {
                var why = fixedOutcome.Built ? $"all runs: {Summary(fixedOutcome)}" : $"build failed: {fixedOutcome.BuildError}";
                log.Line($"the crash is not gone on {newEnd}: {why}");
                return await FinishAsync(new BisectionResult(ResultKind.NoGoodCommit, null, [], Message: $"the crash is not gone on {newEnd} ({why})"), null);
            }
        }

        log.Line($"# git bisect start {newEnd} {oldEnd}");
        var graph = await repo.RangeAsync(newEnd, [oldEnd], ct);
        var strategy = StrategyFactory.Create(spec, graph, Policy);
        // The ends' tests so far: the crashing one defines the bug (for a fix it lies outside the range).
        foreach (var known in ledger.All.Where(e => (e.Outcome.Commit == newEnd || e.Outcome.Commit == crashing) && e.Phase is "reproduce" or "fixed").Select(e => e.Outcome))
        {
            strategy.Record(known);
        }

        while (true)
        {
            var step = strategy.Next();
            if (step is Finished finished)
            {
                Verification? verification = null;
                if (finished.Result.Kind == ResultKind.Found && spec.Verify)
                {
                    var verifier = new CulpritVerifier(spec, repo, workDir, log, tests, o => _causePolicy.Judge(o) == Verdict.Bad);
                    verification = await verifier.VerifyAsync(finished.Result.Culprit!, ct);
                }
                return await FinishAsync(finished.Result, strategy, verification);
            }
            var test = (TestCommit)step;
            status.Range(test.RevisionsLeft, test.Steps);
            var info = await repo.CommitInfoAsync(test.Commit, ct);
            var plural = test.RevisionsLeft == 1 ? "revision" : "revisions";
            var steps = test.Steps == 1 ? "step" : "steps";
            log.Line($"Bisecting: {test.RevisionsLeft} {plural} left to test after this (roughly {test.Steps} {steps})");
            log.Line($"[{test.Commit}] {info.Subject}");
            var outcome = await tests.TestAsync(test.Commit, test.Runs, "bisect", ct);
            var judgement = strategy.Record(outcome);
            _judgements[test.Commit] = judgement;
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
            log.Line($"# git bisect {term} {test.Commit}{probability}");
            status.CommitDone();
        }
    }

    private async Task<string?> FindGoodReleaseAsync(string bad, CancellationToken ct)
    {
        IEnumerable<(string Tag, string Commit)> releases = await repo.ReleaseTagsBeforeAsync(bad, ct);
        if (spec.Kernel is { } kernel)
        {
            // Like syzbot: recent releases one by one, older ones sparser, none before --oldest-release.
            var all = releases.ToList();
            var picked = Kernel.Releases.ReleaseTags.Pick(all.Select(r => r.Tag), kernel.OldestRelease).ToHashSet();
            releases = all.Where(r => picked.Contains(r.Tag));
        }
        foreach (var (tag, commit) in releases)
        {
            log.Line($"testing release {tag}");
            var outcome = await TestAsync(commit, "release", ct);
            if (_causePolicy.Judge(outcome) == Verdict.Good)
            {
                return commit;
            }
        }
        return null;
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

    private async Task<JobResult> FinishAsync(BisectionResult result, IBisectionStrategy? strategy, Verification? verification = null)
    {
        var reproChance = (strategy as Core.Flaky.FlakyStrategy)?.ReproChance;
        var report = new ResultBuilder(spec, jobId, repo, ledger.All, _judgements, strategy?.Name ?? spec.Strategy, reproChance);
        var built = await report.BuildAsync(result, verification, CancellationToken.None);
        foreach (var line in built.LogLines)
        {
            log.Line(line);
        }
        return built.Result;
    }
}
