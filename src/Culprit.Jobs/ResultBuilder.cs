using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>
/// Turns a strategy's answer and the job's outcomes into the JSON result and the closing block of
/// the log (culprit, signatures, revisions tested and time, cc, crash title and report), in the
/// seed log's shapes.
/// </summary>
internal sealed class ResultBuilder(
    JobSpec spec, string jobId, IJobHistory repo, IReadOnlyList<StoredEntry> entries,
    IReadOnlyDictionary<string, Judgement> judgements, string strategyName, double? reproChance = null, Speculation? speculation = null,
    int candidatesDropped = 0)
{
    public async Task<(JobResult Result, IReadOnlyList<string> LogLines)> BuildAsync(BisectionResult answer, Verification? verification, CancellationToken ct)
    {
        var lines = new List<string>();
        var stats = Stats(entries, spec, speculation) with { CandidatesDropped = candidatesDropped };
        var bugTitles = answer.BugTitles ?? (spec.Title is { } named ? [named] : null);
        var crash = CrashOf(spec.Bad, bugTitles);
        CulpritInfo? culprit = null;
        string? signature = null, parentSignature = null, report = crash?.Detail;
        IReadOnlyList<string> cc = [];
        bool? noop = null;

        if (answer.Kind == ResultKind.Found && answer.Culprit is { } hash)
        {
            var info = await repo.CommitInfoAsync(hash, ct);
            culprit = new CulpritInfo(hash, info.Subject, info.Author, info.AuthorDate.ToString("O"));
            var first = FirstCommitPhrase(spec);
            lines.Add($"{hash} is the {first}");
            lines.Add(await repo.ShowStatAsync(hash, ct));
            signature = Latest(hash)?.Signature;
            var parents = await repo.ParentsAsync(hash, ct);
            var parent = parents.Count > 0 ? parents[0] : null;
            parentSignature = parent is null ? null : Latest(parent)?.Signature;
            if (signature is not null)
            {
                lines.Add($"culprit signature: {signature}");
            }
            if (parentSignature is not null)
            {
                lines.Add($"parent  signature: {parentSignature}");
            }
            if (signature is not null && parentSignature is not null)
            {
                noop = signature == parentSignature;
                if (noop == true)
                {
                    lines.Add(NoopChangeLine);
                }
            }
            lines.Add(TimeLine(stats));
            if (answer.Confidence is { } confidence)
            {
                lines.Add($"culprit confidence: {confidence * 100:0.0}%");
            }
            if (verification is { Doubtful: true })
            {
                lines.Add($"the culprit is doubtful: {verification.Reason}");
            }
            if (spec.FirstParent && spec.Direction == Direction.Cause && parents.Count > 1)
            {
                // Along first parents a merge stands for its whole branch: the next question is which of the branch's commits.
                lines.Add($"the culprit is a merge found along first parents: to find the commit it merged in, bisect --bad {parents[1]} --good {parents[0]} (their merge base is tested first)");
            }
            lines.Add($"{first}: {hash} {info.Subject}");
            cc = spec.Kernel is null
                ? [.. new[] { info.AuthorEmail, info.CommitterEmail }.Select(e => e.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal)]
                : await repo.MaintainersAsync(hash, ct);
            lines.Add("cc: [" + string.Join(' ', cc.Select(e => $"\"{e}\"")) + "]");
            // The culprit's own crash report reads best: it is the kernel the culprit produced. One with the title
            // named below, so that the title and the report shown are of the same crash (a bug with several titles
            // may have shown another on the culprit).
            var own = spec.Direction == Direction.Cause && crash?.Title is { } shownTitle
                ? CrashesOn(hash).FirstOrDefault(r => r.Title == shownTitle)
                : null;
            report = own?.Detail ?? report;
        }
        else if (answer.Kind == ResultKind.Inconclusive)
        {
            lines.Add(answer.Message ?? "The bisection is inconclusive.");
            lines.Add($"The {FirstCommitPhrase(spec)} could be any of:");
            foreach (var c in answer.Candidates)
            {
                var p = answer.Probabilities is { } probs && probs.TryGetValue(c, out var v) ? $" ({v:P1})" : "";
                lines.Add(c + p);
            }
            lines.Add("We cannot bisect more!");
            lines.Add(TimeLine(stats));
        }
        else
        {
            lines.Add(TimeLine(stats));
        }
        if (crash?.Title is { } title && answer.Kind is ResultKind.Found or ResultKind.Inconclusive)
        {
            lines.Add($"crash: {title}");
            if (!string.IsNullOrWhiteSpace(report))
            {
                lines.Add(report.TrimEnd());
            }
        }

        var result = new JobResult
        {
            Job = jobId,
            Result = answer.Kind.ToWire(),
            Direction = spec.Direction == Direction.Cause ? "cause" : "fix",
            Strategy = strategyName,
            Bad = spec.Bad,
            Good = spec.Good,
            Culprit = culprit,
            Candidates = answer.Kind == ResultKind.Inconclusive ? answer.Candidates : [],
            Probabilities = answer.Probabilities,
            Confidence = answer.Confidence,
            ReproChance = reproChance,
            CrashTitle = crash?.Title,
            Report = report,
            Signature = signature,
            ParentSignature = parentSignature,
            NoopChange = noop,
            Cc = cc,
            Verification = verification,
            Message = answer.Message,
            Tested = Tested(entries, judgements, spec),
            Stats = stats,
        };
        return (result, lines);
    }

    /// <summary>
    /// How the log names the answer: git's <c>first bad commit</c>; a fix bisection finds the first
    /// commit without the crash (<c>first good commit</c>, like syzbot); custom terms name it themselves.
    /// </summary>
    private static string FirstCommitPhrase(JobSpec spec)
    {
        var customTerms = spec.TermOld != "good" || spec.TermNew != "bad";
        if (customTerms)
        {
            return $"first {spec.TermNew} commit";
        }
        return spec.Direction == Direction.Cause ? "first bad commit" : "first good commit";
    }

    /// <summary>Said when the culprit's kernel equals its parent's: the change cannot be what the crash needs.</summary>
    public const string NoopChangeLine = "the culprit does not change the kernel binary";

    public static JobResult Error(string jobId, JobSpec spec, IReadOnlyList<StoredEntry> entries, string message) => new()
    {
        Job = jobId,
        Result = ResultKind.Error.ToWire(),
        Direction = spec.Direction == Direction.Cause ? "cause" : "fix",
        Strategy = spec.Strategy,
        Bad = spec.Bad,
        Good = spec.Good,
        Message = message,
        Tested = Tested(entries, new Dictionary<string, Judgement>(), spec),
        Stats = Stats(entries, spec),
    };

    private CommitOutcome? Latest(string commit) => entries.Select(e => e.Outcome).LastOrDefault(o => o.Commit == commit);

    /// <summary>Every crashed (or timed-out) run of a commit's tests, in the order they ran.</summary>
    private IEnumerable<RunOutcome> CrashesOn(string commit) =>
        entries.Select(e => e.Outcome).Where(o => o.Commit == commit).SelectMany(o => o.Runs).Where(r => r.IsCrash);

    /// <summary>
    /// The crash that names the bug on a commit: a run showing the likeliest of the bug's titles,
    /// else the first crash (strategies that count every crash alike give no titles).
    /// </summary>
    private RunOutcome? CrashOf(string commit, IReadOnlyList<string>? bugTitles)
    {
        var crashes = CrashesOn(commit).ToList();
        if (bugTitles is null || bugTitles.Count == 0)
        {
            return crashes.FirstOrDefault();
        }
        int Rank(RunOutcome run)
        {
            var best = int.MaxValue;
            foreach (var title in (run.AltTitles ?? []).Prepend(run.Title ?? ""))
            {
                var i = IndexOf(bugTitles, title);
                if (i >= 0 && i < best)
                {
                    best = i;
                }
            }
            return best;
        }
        // The strategy judged these titles the bug: a run with none of them is another bug's crash.
        return crashes.Select(r => (Run: r, Rank: Rank(r))).Where(x => x.Rank != int.MaxValue)
            .OrderBy(x => x.Rank).Select(x => x.Run).FirstOrDefault();
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The seed's closing figures; with speculative builds, what became of them on the line after.</summary>
    private static string TimeLine(JobStats s) =>
        $"revisions tested: {s.RevisionsTested}, total time: {GoDuration.Format(s.TotalSeconds)} (build: {GoDuration.Format(s.BuildSeconds)}, test: {GoDuration.Format(s.TestSeconds)})"
        + (s.SpeculativeBuilds > 0 ? $"\nspeculative builds: {s.SpeculativeBuilds} ({s.SpeculativeBuildsUsed} used, {s.SpeculativeBuildsWasted} wasted)" : "");

    /// <summary>The job's figures; boots only where runs boot VMs (kernel mode).</summary>
    public static JobStats Stats(IReadOnlyList<StoredEntry> entries, JobSpec spec, Speculation? speculation = null)
    {
        var outcomes = entries.Select(e => e.Outcome).ToList();
        var ahead = speculation ?? Speculation.None;
        // A wasted speculative build is a build made all the same: it counts with the builds and their time.
        var build = outcomes.Sum(o => o.BuildSeconds) + ahead.WastedSeconds;
        var test = outcomes.Sum(o => o.TestSeconds);
        var fresh = outcomes.Where(o => o.ReusedFrom is null).ToList();
        return new JobStats(
            RevisionsTested: entries.Where(e => !e.Phase.StartsWith("verify", StringComparison.Ordinal)).Select(e => e.Outcome.Commit).Distinct().Count(),
            Builds: outcomes.Count(o => !o.BuildReused && !o.BuildAvoided) + ahead.Wasted,
            Runs: fresh.Sum(o => o.Runs.Count),
            TotalSeconds: build + test,
            BuildSeconds: build,
            TestSeconds: test,
            SignatureReuses: outcomes.Count(o => o.ReusedFrom is not null && !o.BuildAvoided),
            Boots: spec.Kernel is null ? null : fresh.Sum(o => o.Runs.Count),
            BuildsAvoided: outcomes.Count(o => o.BuildAvoided),
            BuildsReused: outcomes.Count(o => o.BuildReused),
            // A commit built more than once (a retest whose build was not kept): each build after its first.
            BuildsRepeated: outcomes.Where(o => !o.BuildReused && !o.BuildAvoided).GroupBy(o => o.Commit).Sum(g => g.Count() - 1),
            SpeculativeBuilds: ahead.Made,
            SpeculativeBuildsUsed: ahead.Used,
            SpeculativeBuildsWasted: ahead.Wasted);
    }

    /// <summary>Every test in order; verdicts are in the strategy's terms (for a fix, a crashing commit is "good", the old state).</summary>
    private static IReadOnlyList<TestedCommit> Tested(IReadOnlyList<StoredEntry> entries, IReadOnlyDictionary<string, Judgement> judgements, JobSpec spec) =>
        entries.Select(e =>
        {
            var cause = StrategyFactory.CausePolicy(spec);
            var o = e.Outcome;
            judgements.TryGetValue(o.Commit, out var j);
            IVerdictPolicy policy = spec.Direction == Direction.Cause ? cause : new FixDirectionPolicy(cause);
            var verdict = j?.Verdict ?? policy.Judge(o);
            var runs = o.Runs.Select((r, i) => new TestedRun(r.Result.ToWire(), r.Title, j?.UnrelatedRuns?.Contains(i) == true,
                r.Result == RunResult.InfraError ? r.Detail : null)).ToList();
            return new TestedCommit(o.Commit, verdict.ToString().ToLowerInvariant(), runs, o.BuildSeconds, o.TestSeconds,
                o.Signature, o.ReusedFrom, o.BuildError, o.Compiler, j?.Probability, e.Phase, o.BuildAvoided);
        }).ToList();
}
