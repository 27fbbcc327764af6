using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>
/// Checks a culprit before anyone reads it. Cause: the culprit's parent must not crash, and reverting
/// the culprit on top of the bad commit must make the crash go away (each with up to twice the runs). Fix:
/// the fix's parent must still crash, and the fix cherry-picked onto the crashing commit must remove
/// the crash. Either check failing makes the culprit doubtful, with the reason. The revert runs what it
/// takes to see the bug at the crashing commit's repro chance: a clean run count after which the bug
/// would have shown with all but the stop rule's risk (<see cref="FlakyEndpointJudge.RunsToRuleOut"/>,
/// the release walk's own standard), so a reproducer that crashed 10 of 10 times needs 3 runs, not 20.
/// A cause's parent runs what rules the bug out at a quarter of that chance (<see cref="ParentRateFraction"/>):
/// 19 runs after 10 of 10 at the default confidence; a rare reproducer gets the full counts either way.
/// </summary>
/// <param name="earlier">The outcomes of a commit's tests before verification: they count toward the parent's runs.</param>
/// <param name="crashing">The crashing commit's tests (the job's reproduce phase): how often the bug shows.</param>
/// <param name="showsBug">Whether one run shows the bug (its titles, as the strategy judged them).</param>
/// <param name="readRevert">
/// For a cause with the bug's titles known: what the revert's runs say against the bad commit's
/// (<see cref="RevertReading"/>), which then judges the revert instead of <paramref name="crashes"/>.
/// </param>
/// <param name="otherBases">
/// Where a revert of the given commits that does not apply on the bad commit is tried instead, best first
/// (<see cref="RevertBases"/>): a commit the job never saw crash is tested as it is before its revert is read.
/// </param>
/// <param name="judged">
/// The strategy's last verdict on a commit it was told about (null: none): a parent whose runs all come from the
/// bisection is judged as the strategy judged them, as its answer already rests on that verdict (the flaky
/// strategy may take one crash in 40 runs for another bug's; the plain rule would call the parent crashing).
/// </param>
/// <param name="chanceOfMissing">
/// The strategy's chance that n runs of a commit with the bug all miss it (over every commit it judged bad, not
/// the crashing commit's runs alone): the revert gets the runs that make it small.
/// </param>
internal sealed class CulpritVerifier(
    JobSpec spec, IJobHistory repo, JobLog log, CommitTestRunner tests, Func<CommitOutcome, bool> crashes,
    Func<string, IReadOnlyList<CommitOutcome>> earlier, IReadOnlyList<CommitOutcome> crashing, Func<RunOutcome, bool> showsBug,
    Func<string, CommitOutcome, RevertReading.Reading>? readRevert = null, Func<int, double>? chanceOfMissing = null,
    Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<RevertBases.Base>>>? otherBases = null, Func<string, Verdict?>? judged = null,
    IReadOnlyList<string>? settlingTitles = null)
{
    /// <summary>The runs that rule the bug out, at most <paramref name="cap"/>.</summary>
    private int RunsFor(int cap, double fraction = 1)
    {
        var runs = crashing.Where(o => o.Built).SelectMany(o => o.Runs).Where(r => r.Result != RunResult.InfraError).ToList();
        var risk = (1 - spec.Confidence) / FlakyStrategy.ExtraCertainty;
        return FlakyEndpointJudge.RunsToRuleOut(runs.Count(showsBug), runs.Count, risk, cap, fraction);
    }

    /// <summary>
    /// How much rarer than on the crashing commit a cause's parent's runs rule the bug out at (within twice the runs
    /// asked for): a commit can make an older bug show several times as often (a race made wider, a path made hotter)
    /// without bringing it in, and a parent checked only at the crashing commit's chance passes with the bug in it.
    /// </summary>
    public const double ParentRateFraction = 0.25;

    /// <summary>The log line of a culprit whose checks passed: what its parent and its revert (or cherry-pick) showed.</summary>
    public static string VerifiedLine(bool? parentOk, bool fix, int? parentRuns, string revert, string? revertedOn) =>
        $"culprit verified: {Reports.ReportPhrases.ParentCheck(parentOk, fix, parentRuns)}; {Reports.ReportPhrases.RevertCheck(revert, fix, revertedOn)}";

    /// <summary>The runs the last verification gave the culprit's parent, when the bisection had not given it enough.</summary>
    public CommitOutcome? ParentTest { get; private set; }

    /// <summary>The last verification's test of the bad commit with the culprit reverted (or the fix cherry-picked), when it applied.</summary>
    public CommitOutcome? RevertTest { get; private set; }

    /// <summary>
    /// A commit after the culprit (containing it) the last verification found clean, tried as the revert's base: the bug
    /// went away after the culprit, and the bad commit's crash came back with a later commit.
    /// </summary>
    public CommitOutcome? CleanDescendant { get; private set; }

    public async Task<Verification> VerifyAsync(string culprit, CancellationToken ct)
    {
        var cause = spec.Direction == Direction.Cause;
        var parents = await repo.ParentsAsync(culprit, ct);
        bool? parentOk = null;
        CommitOutcome? parentRuns = null;
        (ParentTest, RevertTest, CleanDescendant) = (null, null, null);
        if (parents.Count > 0)
        {
            // Runs the parent already had (the bisection often tested it) count: only the rest are run.
            var wanted = RunsFor(spec.Runs * 2, cause ? ParentRateFraction : 1);
            var known = earlier(parents[0]).Where(o => o.Built).ToList();
            var knownRuns = known.Sum(o => o.Runs.Count(Useful));
            CommitOutcome parent;
            // A cause's parent only: a fix's verdicts are in the strategy's own terms.
            var verdict = cause ? judged?.Invoke(parents[0]) : null;
            if (knownRuns >= wanted || (known.Count > 0 && known.Any(crashes) && cause && verdict != Verdict.Good))
            {
                log.Line($"verifying the culprit: its parent {parents[0]} was tested with {knownRuns} runs already");
                parent = Merged(parents[0], known);
                if (verdict is Verdict.Good or Verdict.Bad && parent.Built)
                {
                    parentOk = verdict == Verdict.Good;
                }
            }
            else
            {
                var runs = wanted - knownRuns;
                log.Line(knownRuns == 0
                    ? $"verifying the culprit: testing its parent {parents[0]} with {runs} runs"
                    : $"verifying the culprit: testing its parent {parents[0]} with {runs} more runs ({knownRuns} done)");
                var fresh = await tests.TestAsync(parents[0], runs, "verify-parent", ct);
                LogRuns(fresh);
                ParentTest = fresh;
                parent = fresh.Built ? Merged(parents[0], [.. known, fresh]) : fresh;
            }
            // Cause: the parent must be clean. Fix: the parent must still crash.
            parentOk ??= parent.Built && parent.Runs.Any(Useful) ? crashes(parent) != cause : null;
            parentRuns = parent;
        }

        log.Line(cause
            ? $"verifying the culprit: testing {spec.Bad} with {culprit} reverted"
            : $"verifying the culprit: testing {spec.Bad} with {culprit} cherry-picked");
        var applied = await TestAppliedAsync([culprit], ct);
        RevertTest = applied.Outcome;
        var (revert, reading) = (applied.Said, applied.Reading);
        if (revert == "passed" && reading is { KeptTitle: { } kept })
        {
            log.Line(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the revert keeps another crash of the bad commit ({kept}, {reading.KeptCrashes}/{reading.RevertRuns} runs) and removes the one it shows more often: another bug ({reading.Doubt * 100:0.0}% chance it is the more frequent one)"));
            if (cause && parentOk == false && OnlyKeptCrashes(parentRuns, reading) is var parentCrashes and > 0)
            {
                // The parent crashed, but only as the revert does without the culprit: with the other bug's crash, which the
                // bisection could not tell from the bug's before the revert split them. It is clean of the bug.
                parentOk = true;
                log.Line($"verifying the culprit: its parent's crashes ({parentCrashes}) are all the other bug's the revert keeps: clean of the bug");
            }
        }

        string? reason = null;
        if (parentOk == false)
        {
            reason = cause ? "the culprit's parent crashes too" : "the fix's parent does not crash";
        }
        else if (revert == "failed")
        {
            reason = cause ? "the crash stays when the culprit is reverted" : "the crash stays when the fix is applied to the crashing commit";
        }
        var broughtBack = reason is null && cause && revert == "passed" ? reading?.BroughtBack : null;
        if (broughtBack is { } back && reading is not null)
        {
            reason = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the revert brings back a crash the bad commit never shows ({back.Title}: {back.RevertCrashes} of {reading.RevertRuns} runs, against none of {back.BadRuns} runs without the bug's crash on commits with the bug): the culprit may only have changed the crash's title");
        }
        var doubtful = reason is not null;
        var revertedOn = applied.On == spec.Bad ? null : applied.On;
        log.Line(doubtful
            ? $"the culprit is doubtful: {reason}"
            : VerifiedLine(parentOk, !cause, parentOk is null ? ParentTest?.Runs.Count : null, revert, revertedOn));
        return new Verification(parentOk, revert, doubtful, reason)
        {
            RevertedOn = revertedOn,
            RevertRuns = applied.Runs,
            OtherBugDoubt = revert == "passed" ? reading?.Doubt ?? 0 : 0,
            RemovedMissChance = revert == "passed" && reading is { KeptTitle: not null } ? reading.RemovedMissChance : null,
            BroughtBack = broughtBack,
        };
    }

    /// <summary>
    /// The culprit's parent tested again with the runs verification wants of a parent (<see cref="ParentTest"/> then
    /// holds them), when the crash stayed with the culprit reverted although the parent's runs were clean. Two stories
    /// fit: the parent's few clean runs missed the bug (the bisection stopped one commit late), or the bug went away
    /// and came back. The first is checked with runs on a commit built already; the second takes a search over the
    /// commits after the culprit, each built. True when the parent's new runs crash as the bug does.
    /// </summary>
    /// <param name="inRange">Whether a commit is in the bisection's range: a parent outside it (the good end) is not tested again.</param>
    /// <param name="broughtBack">
    /// The crash the culprit's revert brought back (<see cref="RevertReading.Returning"/>), or null: the crash stayed. With one,
    /// the parent is asked whether it shows that crash or the bug's: either is a sign the bug came in before the culprit, under
    /// titles the culprit changed.
    /// </param>
    public async Task<bool> ParentCrashesOnRecheckAsync(string culprit, Func<string, bool> inRange, CancellationToken ct,
        RevertReading.Returning? broughtBack = null)
    {
        var parents = await repo.ParentsAsync(culprit, ct);
        if (parents.Count == 0 || !inRange(parents[0]))
        {
            return false;
        }
        var runs = RunsFor(spec.Runs * 2);
        log.Line(broughtBack is null
            ? $"the crash stays with {culprit} reverted: testing its parent {parents[0]} with {runs} more runs first"
            : $"the revert of {culprit} brings back {broughtBack.Title}: testing its parent {parents[0]} with {runs} more runs");
        var fresh = await tests.TestAsync(parents[0], runs, "verify-parent", ct);
        LogRuns(fresh);
        ParentTest = fresh;
        return fresh.Built && (crashes(fresh) || (broughtBack is not null && fresh.Runs.Any(r => r.ShowsAnyOf(broughtBack.Titles))));
    }

    /// <summary>What the bad commit showed with commits reverted on it (a cause) or cherry-picked onto it (a fix).</summary>
    /// <param name="Said">passed, failed (the crash stays), does-not-apply or build-failed.</param>
    /// <param name="Runs">The runs that were not infra errors.</param>
    /// <param name="Outcome">The test of the changed commit (null when the change does not apply).</param>
    /// <param name="On">The commit changed: the bad commit, or the newest commit seen crashing where a revert applies.</param>
    public sealed record Applied(string Said, int Runs, RevertReading.Reading? Reading, CommitOutcome? Outcome, string? On = null);

    /// <summary>
    /// The bad commit with <paramref name="commits"/> (newest first) reverted on it one after another (a cause), or
    /// cherry-picked onto it (a fix), tested with the runs that would show the bug: the culprit's revert, and the
    /// revert of a group of candidates that only broken builds separate.
    /// </summary>
    public async Task<Applied> TestAppliedAsync(IReadOnlyList<string> commits, CancellationToken ct)
    {
        var cause = spec.Direction == Direction.Cause;
        var on = spec.Bad;
        var (onto, notApplying) = await repo.ApplyAllAsync(commits, on, cause, ct);
        IReadOnlyList<string> unreached = [];
        if (onto is null)
        {
            log.Line(cause ? $"the revert of {notApplying} does not apply on top of {spec.Bad}" : $"{notApplying} does not cherry-pick onto {spec.Bad}");
            // A later commit changed the same lines; the revert may still apply before it, on a commit that crashes with the bug.
            foreach (var other in cause && otherBases is not null ? await otherBases(commits, ct) : [])
            {
                if (!other.SeenCrashing && !await CrashesAsIsAsync(other.On, commits,
                    $"verifying the culprit: the revert applies on {other.On}, the newest commit on the way from the bad commit where it does: testing it as it is first", ct))
                {
                    if (CleanDescendant is not null)
                    {
                        // The bug went away after the culprit: where the crash came back is the question now, not the revert.
                        break;
                    }
                    continue;
                }
                (on, onto, unreached) = (other.On, other.Made, other.Unreached ?? []);
                log.Line(other.SeenCrashing
                    ? $"verifying the culprit: the revert applies on {other.On}, the newest commit seen crashing where it does: testing it there"
                    : $"verifying the culprit: {other.On} crashes with the bug: testing it with the revert");
                break;
            }
            if (onto is null)
            {
                return new Applied("does-not-apply", 0, null, null);
            }
        }
        // Up to the parent's 2× runs too: the revert is the one test of a history the posterior
        // cannot see (a bug fixed and brought in again, another bug's crash), and at a low repro
        // chance the cap, not the bug, decides whether a wrong culprit's revert shows the crash
        // (10 clean runs at 0.22 miss it one time in 12, 20 runs one in 140).
        var cap = spec.Runs * 2;
        var phase = cause ? "verify-revert" : "verify-cherry-pick";
        var outcome = await tests.TestAsync(onto, RevertRunsFor(cap), phase, ct);
        LogRuns(outcome);
        var applied = Read(on, outcome, cause);

        // More runs of the revert, with the line that says why, merged into its outcome.
        async Task MoreOfRevertAsync(int more, string why)
        {
            log.Line($"verifying the culprit: {more} more runs of the revert {why}");
            var again = await tests.TestAsync(onto, more, phase, ct);
            LogRuns(again);
            outcome = again.Built ? Merged(onto, [outcome, again]) : outcome;
        }

        // Twice at most: infra errors topped up may then show a kept crash, which asks for the rest.
        for (var round = 0; round < 2 && applied.Said is "passed" or "masked" && MoreRevertRuns(applied, outcome.Runs.Count, cap) is var more and > 0; round++)
        {
            await MoreOfRevertAsync(more, WorthAllRuns(applied.Reading) ? KeptCrashWhy : "(infra errors and other crashes say nothing of the bug)");
            applied = Read(on, outcome, cause);
        }
        if (cause && readRevert is not null && applied.Said == "passed" && UnseenCrashes(on, outcome) is { } unseen)
        {
            // A revert takes code away: a crash its kernel shows often is one the commit it was made on has too, unseen
            // in that commit's few runs, or background. Runs on that commit (built already) tell which, and the
            // reading then weighs it as a kept crash (the bug is the crash shown most) or leaves it out.
            if (cap - unseen.OnRuns is var onMore and > 0)
            {
                log.Line($"verifying the culprit: {onMore} more runs of {on}: the revert crashed in {unseen.Count} of {unseen.Runs} runs with crashes it has not shown ({unseen.Titles})");
                LogRuns(await tests.TestAsync(on, onMore, CrashingPhase, ct));
                applied = Read(on, outcome, cause);
            }
        }
        if (cause && SplitInDoubt(applied.Reading))
        {
            // The revert kept some of the crashes and removed others, and few runs cannot tell which is the more
            // frequent (the bug is the one shown most): the commit it was made on and the revert both get all their runs.
            var done = earlier(on).Where(o => o.Built).Sum(o => o.Runs.Count(Useful));
            if (cap - done is var onMore and > 0)
            {
                log.Line($"verifying the culprit: {onMore} more runs of {on} to tell whether the crash the revert removed is the one it shows most");
                LogRuns(await tests.TestAsync(on, onMore, CrashingPhase, ct));
            }
            if (cap - outcome.Runs.Count is var more and > 0)
            {
                await MoreOfRevertAsync(more, KeptCrashWhy);
            }
            applied = Read(on, outcome, cause);
        }
        if (applied.Said == "passed" && unreached.Count > 0)
        {
            await ProbeUnreachedAsync(unreached, commits, ct);
        }
        return applied;
    }

    /// <summary>
    /// The chance of missing the bug that a commit's clean runs may leave when it is called clean after the culprit (half the
    /// job's doubt: the call sends the job after a second culprit, and a rare bug's repro chance is often overrated).
    /// </summary>
    private double CleanRisk => (1 - spec.Confidence) / 2;

    /// <summary>
    /// Whether <paramref name="commit"/>, a commit after <paramref name="reverted"/> the job never saw crash, crashes with the bug as it
    /// is (tested with the runs a revert gets); one whose clean runs rule the bug out is kept as <see cref="CleanDescendant"/>.
    /// </summary>
    private async Task<bool> CrashesAsIsAsync(string commit, IReadOnlyList<string> reverted, string why, CancellationToken ct)
    {
        log.Line(why);
        var done = earlier(commit).Where(o => o.Built).ToList();
        var outcome = done.Count > 0 ? Merged(commit, done) : null;
        // First the runs that would show the bug at its repro chance (the bug's crash ends them early); a commit that
        // looks clean then gets the runs that rule the bug out (up to 3x), as a clean one sends the job after a second culprit.
        var cap = spec.Runs * 2;
        var toCallClean = cap;
        while (chanceOfMissing is not null && toCallClean < spec.Runs * 3 && chanceOfMissing(toCallClean) > CleanRisk)
        {
            toCallClean++;
        }
        for (var round = 0; round < 3 && outcome is null or { Built: true } && (outcome is null || !crashes(outcome)); round++)
        {
            var useful = outcome?.Runs.Count(Useful) ?? 0;
            var wanted = round == 0 ? RevertRunsFor(cap) : toCallClean;
            if (useful >= wanted)
            {
                continue;
            }
            var fresh = await tests.TestAsync(commit, Math.Max(1, wanted - useful), CrashingPhase, ct, settlingTitles);
            LogRuns(fresh);
            outcome = fresh.Built ? Merged(commit, [.. done, fresh]) : fresh;
            done.Add(fresh);
        }
        if (outcome is not { Built: true } || crashes(outcome))
        {
            return outcome?.Built == true;
        }
        // Clean only as far as its runs would have shown the bug: at a rare bug's repro chance, they cannot tell.
        var runs = outcome.Runs.Count(Useful);
        if (runs == 0)
        {
            return false;
        }
        if (chanceOfMissing is null ? runs < RunsFor(cap) : chanceOfMissing(runs) > CleanRisk)
        {
            log.Line($"{commit} did not crash in {runs} runs, which cannot rule out the bug at its repro chance");
        }
        else
        {
            log.Line($"{commit} does not crash, though it contains {string.Join(", ", reverted)}: the bug went away after {reverted[^1]} and came back later");
            CleanDescendant ??= outcome;
        }
        return false;
    }

    /// <summary>
    /// The revert went clean where it applies, and the commits after that up to the bad commit stay unchecked: a fix
    /// and the bug's return there would leave a stretch where the bug is gone. The commit where the revert stops
    /// applying changed the culprit's lines, as a fix would, and is tested as it is; if it crashes, so is the middle of
    /// what is left, and if that crashes, the middle of the newer half (a return comes after its fix). One that does
    /// not crash is the <see cref="CleanDescendant"/> the bug's return is searched after.
    /// </summary>
    /// <param name="unreached">The line's commits the revert does not apply on, newest first.</param>
    private async Task ProbeUnreachedAsync(IReadOnlyList<string> unreached, IReadOnlyList<string> reverted, CancellationToken ct)
    {
        var conflicting = unreached[^1];
        if (!await CrashesAsIsAsync(conflicting, reverted,
                $"verifying the culprit: the revert stops applying at {conflicting}, which changed the same lines (a fix would): testing it as it is", ct))
        {
            return;
        }
        var (rest, older) = (unreached.Take(unreached.Count - 1).ToList(), conflicting);
        for (var probe = 0; probe < MaxMiddleProbes && rest.Count > 0; probe++)
        {
            var at = (rest.Count - 1) / 2;
            var middle = rest[at];
            if (!await CrashesAsIsAsync(middle, reverted, rest.Count == 1
                    ? $"verifying the culprit: {middle}, between {older} and the bad commit, is unchecked: testing it as it is"
                    : $"verifying the culprit: {rest.Count} commits between {older} and the bad commit are unchecked: testing {middle}, in their middle, as it is", ct))
            {
                return;
            }
            (rest, older) = (rest.Take(at).ToList(), middle);
        }
    }

    /// <summary>How many middles of the commits a revert cannot reach are tested as they are, after the commit where it stops applying.</summary>
    private const int MaxMiddleProbes = 2;

    private const string KeptCrashWhy = "to tell whether the crash it keeps is the bug's";

    /// <summary>
    /// The revert's crashes that are not the bug's and that <paramref name="on"/>, the commit it was made on, never showed
    /// (by title or alt title), when they are too frequent to pass for the range's background: two at least, at half
    /// the rate <paramref name="on"/> shows the bug or more. Null otherwise.
    /// </summary>
    /// <returns>The titles (most frequent first), how many of the revert's runs showed them, its runs and <paramref name="on"/>'s (infra errors left out).</returns>
    private (string Titles, int Count, int Runs, int OnRuns)? UnseenCrashes(string on, CommitOutcome revert)
    {
        var onRuns = earlier(on).Where(o => o.Built).SelectMany(o => o.Runs).Where(r => r.Result != RunResult.InfraError).ToList();
        var seen = onRuns.Where(r => r.IsCrash).SelectMany(r => (r.AltTitles ?? []).Prepend(r.Title!)).ToHashSet(StringComparer.Ordinal);
        var unseen = revert.Runs.Where(r => r.IsCrash && !showsBug(r) && !seen.Contains(r.Title!) && !(r.AltTitles ?? []).Any(seen.Contains)).ToList();
        var revertRuns = revert.Runs.Count(r => r.Result != RunResult.InfraError);
        if (unseen.Count < 2 || onRuns.Count == 0 || revertRuns == 0)
        {
            return null;
        }
        var bugRate = (double)onRuns.Count(showsBug) / onRuns.Count;
        var titles = unseen.GroupBy(r => r.Title!).OrderByDescending(g => g.Count()).Select(g => g.Key).ToList();
        var named = string.Join(", ", titles.Take(2)) + (titles.Count > 2 ? ", …" : "");
        return (double)unseen.Count / revertRuns >= bugRate / 2 ? (named, unseen.Count, revertRuns, onRuns.Count) : null;
    }

    /// <summary>The phase of more runs of the commit a revert was made on, read with its earlier runs.</summary>
    public const string CrashingPhase = "verify-crashing";

    /// <summary>A revert that kept some crashes and removed others, with no clear answer to which the commit shows more.</summary>
    private static bool SplitInDoubt(RevertReading.Reading? reading) =>
        reading is { KeptTitle: not null, RemovedMissChance: not null, Doubt: > 0.05 and < 0.95 };

    /// <summary>
    /// A clean revert gets more runs when it kept a crash of the bad commit and removed the one shown
    /// more often (few runs cannot tell another bug from the bug's own other titles: all the runs
    /// decide), or when infra errors left fewer useful runs than it needs.
    /// </summary>
    private int MoreRevertRuns(Applied applied, int ran, int cap)
    {
        if (WorthAllRuns(applied.Reading))
        {
            return cap - ran;
        }
        return Math.Min(cap - ran, RevertRunsFor(cap) - applied.Runs);
    }

    /// <summary>A revert's doubt (its kept crash being the bad commit's most frequent) above which the revert gets all its runs.</summary>
    private const double DoubtWorthMoreRuns = 0.01;

    /// <summary>A revert that kept a crash gets all its runs when that crash may be the bug's (see <see cref="RevertReading.Reading.KeptBugCrash"/>).</summary>
    private static bool WorthAllRuns(RevertReading.Reading? reading) =>
        reading is { KeptTitle: not null } && (reading.Doubt >= DoubtWorthMoreRuns || reading.KeptBugCrash);

    /// <param name="on">The commit changed: its own runs are what the revert's are read against.</param>
    private Applied Read(string on, CommitOutcome outcome, bool cause)
    {
        var runs = outcome.Built ? outcome.Runs.Count(Useful) : 0;
        var reading = outcome.Built && cause && readRevert is not null ? readRevert(on, outcome) : null;
        var stays = reading?.CrashStays ?? crashes(outcome);
        var said = !outcome.Built ? "build-failed" : stays ? "failed" : runs > 0 ? "passed"
            : outcome.Runs.Any(r => r.IsCrash) ? "masked" : "build-failed";
        return new Applied(said, runs, reading, outcome, on);
    }

    /// <summary>
    /// The revert's runs: those that rule the bug out at the crashing commit's repro chance, and at the
    /// strategy's (a crashing commit that showed the bug in its few runs may make it look more frequent than it is).
    /// </summary>
    private int RevertRunsFor(int cap)
    {
        var runs = RunsFor(cap);
        if (chanceOfMissing is null)
        {
            return runs;
        }
        var risk = (1 - spec.Confidence) / FlakyStrategy.ExtraCertainty;
        while (runs < cap && chanceOfMissing(runs) > risk)
        {
            runs++;
        }
        return runs;
    }

    /// <summary>
    /// How many runs of <paramref name="parent"/> crashed when every crash it showed has a title of the crashes the
    /// revert kept (0 when one has another title, or none crashed).
    /// </summary>
    private static int OnlyKeptCrashes(CommitOutcome? parent, RevertReading.Reading reading)
    {
        var kept = reading.KeptTitles ?? [];
        var crashed = (parent?.Runs ?? []).Where(r => r.IsCrash).ToList();
        return crashed.All(r => r.ShowsAnyOf(kept)) ? crashed.Count : 0;
    }

    /// <summary>
    /// A run that can tell whether the bug is there: one that ended clean or showed the bug. An infra error says
    /// nothing, and neither does a run another crash ended first (the strategy counts neither).
    /// </summary>
    private bool Useful(RunOutcome run) => run.Result == RunResult.Ok || showsBug(run);

    /// <summary>All runs of a commit's tests as one outcome, for one verdict over them.</summary>
    private static CommitOutcome Merged(string commit, IReadOnlyList<CommitOutcome> outcomes) =>
        outcomes[^1] with { Commit = commit, Runs = outcomes.SelectMany(o => o.Runs).ToList() };

    private void LogRuns(CommitOutcome outcome)
    {
        foreach (var line in RunLines.For(outcome))
        {
            log.Line(line);
        }
    }
}
