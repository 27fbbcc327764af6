using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>
/// The crash stays on the bad commit with the culprit reverted while the culprit's parent is clean:
/// the bug came in at the culprit, went away later, and another commit brought it back (a fix
/// reverted, the same mistake made again). The bad commit's crash comes from that commit, and a
/// plain bisection cannot see it (it finds the first coming whenever its probes land there). Over
/// the commits after the culprit up to the bad commit, "crashes with the culprit reverted" (on its
/// descendants; the others are tested as they are) is false up to the commit that brought it back
/// and true from there on: a second bisection of them finds that commit. The same holds for a
/// group of candidates only broken builds separate, reverted together.
/// </summary>
/// <param name="create">The job's strategy over a range.</param>
internal sealed class ReintroductionSearch(JobSpec spec, IJobHistory repo, JobLog log, CommitTestRunner tests, Func<CommitGraph, IBisectionStrategy> create)
{
    /// <summary>The phase of the search's tests in the job's outcomes.</summary>
    public const string Phase = "reintroduced";

    /// <param name="reverted">The culprit, or the group's candidates: each an ancestor of the first (newest first).</param>
    /// <param name="top">
    /// The commit they were reverted on: the bad commit, or (their revert not applying there) the newest commit seen crashing where it applies.
    /// </param>
    /// <param name="revertedOnTop">Its test with them reverted, which kept the crash: the search's crashing end.</param>
    /// <returns>
    /// The commit that brought the crash back (or the candidates only broken builds separate), or null when the search names none.
    /// </returns>
    public async Task<BisectionResult?> FindAsync(IReadOnlyList<string> reverted, string top, CommitOutcome revertedOnTop, CancellationToken ct)
    {
        if (reverted[0] == top)
        {
            // Nothing comes after it: the crash it keeps is not the culprit's.
            return null;
        }
        var names = string.Join(", ", reverted);
        var range = await repo.RangeAsync(top, reverted[0], ct);
        if (range.Count == 0 || await DescendantsAsync(reverted[0], ct) is not { } descendants)
        {
            return null;
        }
        log.Line($"the crash stays with {names} reverted: bisecting the {range.Count} commits after it up to {top}, each of its descendants with {names} reverted");
        return await BisectAsync(range, [revertedOnTop with { Commit = top }], async (test, ct) =>
        {
            // A commit without the culprit is tested as it is: a crash there came in another way.
            var reverts = descendants.Contains(test.Commit);
            log.Line(reverts ? $"[{test.Commit}] with {names} reverted" : $"[{test.Commit}] (without {names})");
            return !reverts ? await tests.TestAsync(test.Commit, test.Runs, Phase, ct, test.SettlingTitles)
                : (await repo.ApplyAllAsync(reverted, test.Commit, true, ct)).Made is { } changed
                ? await tests.TestAsync(changed, test.Runs, Phase, ct, test.SettlingTitles)
                : new CommitOutcome(test.Commit, false, [], BuildError: $"the revert of {names} does not apply");
        }, ct);
    }

    /// <summary>
    /// A commit after the culprit that contains it does not crash (<paramref name="clean"/>): the bug went away
    /// and came back with one of the commits after it, which a bisection of them finds. A commit there that still
    /// holds the culprit's change (a branch that left before the fix) is tested with the culprit reverted, so the
    /// first coming's crash cannot pass for the bug's return; where the revert does not apply (the lines were
    /// changed since, as the fix did), it is tested as it is.
    /// </summary>
    /// <param name="crashing">The bad commit's tests: the search's crashing end.</param>
    public async Task<BisectionResult?> FindAfterCleanAsync(IReadOnlyList<string> reverted, string clean, IReadOnlyList<CommitOutcome> crashing,
        CancellationToken ct)
    {
        var range = await repo.RangeAsync(spec.Bad, clean, ct);
        if (range.Count == 0 || await DescendantsAsync(reverted[0], ct) is not { } descendants)
        {
            return null;
        }
        var names = string.Join(", ", reverted);
        log.Line($"the crash came back after {clean}: bisecting the {range.Count} commits after it up to {spec.Bad}, with {names} reverted where it applies");
        return await BisectAsync(range, crashing.Select(o => o with { Commit = spec.Bad }).ToList(), async (test, ct) =>
        {
            if (descendants.Contains(test.Commit) && (await repo.ApplyAllAsync(reverted, test.Commit, true, ct)).Made is { } changed)
            {
                log.Line($"[{test.Commit}] with {names} reverted");
                return await tests.TestAsync(changed, test.Runs, Phase, ct, test.SettlingTitles);
            }
            log.Line($"[{test.Commit}] {(await repo.CommitInfoAsync(test.Commit, ct)).Subject}");
            return await tests.TestAsync(test.Commit, test.Runs, Phase, ct, test.SettlingTitles);
        }, ct);
    }

    /// <summary>The job's strategy over <paramref name="range"/>, told the crashing end's tests, each commit it asks for tested by <paramref name="test"/>.</summary>
    private async Task<BisectionResult?> BisectAsync(CommitGraph range, IReadOnlyList<CommitOutcome> top, Func<TestCommit, CancellationToken, Task<CommitOutcome>> test,
        CancellationToken ct)
    {
        var result = await SubBisection.RunAsync(create(range), top, test, ct);
        if (result is { Kind: ResultKind.Inconclusive, OnlyBrokenBuildsBetween: true })
        {
            log.Line($"the crash came back with one of {string.Join(", ", result.Candidates)}: only commits whose build is broken separate them");
            return result;
        }
        if (result.Kind != ResultKind.Found)
        {
            log.Line($"the search for the commit that brought the crash back ends {result.Kind.ToString().ToLowerInvariant()}: {result.Message}");
            return null;
        }
        log.Line($"the crash came back with {result.Culprit}");
        return result;
    }

    /// <summary>The descendants of <paramref name="commit"/> among the bad commit's ancestors (git's <c>--ancestry-path</c>).</summary>
    private async Task<HashSet<string>?> DescendantsAsync(string commit, CancellationToken ct)
    {
        if (await repo.ParentsAsync(commit, ct) is not [var parent, ..])
        {
            return null;
        }
        var around = await repo.RangeAsync(spec.Bad, parent, ct);
        var at = around.IndexOf(commit);
        if (at < 0)
        {
            return null;
        }
        var ancestry = around.Ancestry;
        return Enumerable.Range(0, around.Count).Where(i => i != at && ancestry.IsAncestor(at, i)).Select(i => around.Commits[i]).ToHashSet(StringComparer.Ordinal);
    }
}
