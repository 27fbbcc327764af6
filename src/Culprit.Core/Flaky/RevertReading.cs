using Culprit.Core.Domain;

namespace Culprit.Core.Flaky;

/// <summary>
/// What the culprit's revert on top of the bad commit says when the bad commit shows more than one
/// crash. The bug is the crash the bad commit shows most. A revert that removes some of the bad
/// commit's crashes and keeps others splits them into two bugs: the removed ones came in with the
/// culprit, the kept ones elsewhere. The posterior, with one culprit for every cluster it takes for
/// the bug, may have joined another bug's crash to the bug (it showed only on commits that have
/// both); the revert is the one test that tells them apart. So the crash stays only as far as the
/// crashes the revert keeps are the bad commit's most frequent: the chance that their rate (on the
/// bad commit and the revert alike, as they do not depend on the culprit) is at least the removed
/// crashes' rate on the bad commit. Below one half the revert confirms the culprit for the bug and
/// that chance is a doubt on it; a crash the bad commit never showed and the strategy never took
/// for the bug is background and counts on neither side, and so is one the commits held to be
/// without the bug showed (it crashes without the culprit's change, like the range's unrelated
/// crashes: the revert showing it says nothing).
/// </summary>
public static class RevertReading
{
    /// <summary>Points of the rate grid the two rates are compared on.</summary>
    private const int GridPoints = 400;

    /// <param name="CrashStays">Whether the revert keeps the bad commit's most frequent crash (the culprit is doubtful).</param>
    /// <param name="Doubt">The chance the crashes the revert keeps are the bad commit's most frequent (0 when it keeps none).</param>
    /// <param name="RemovedMissChance">
    /// The chance the revert's runs would all miss the removed crashes were they still there, at their rate on the
    /// bad commit (null when the revert removed none of the bug's crashes).
    /// </param>
    /// <param name="KeptTitle">The kept crash the revert showed most, for the log.</param>
    /// <param name="KeptBugCrash">
    /// Whether a kept crash is one the strategy took for the bug's: few runs cannot tell a bug that stayed and
    /// showed its rarer title from another bug, so such a revert is worth all its runs.
    /// </param>
    /// <param name="KeptTitles">Every title and alt title of the crashes the revert kept (empty when it kept none).</param>
    /// <param name="BroughtBack">A crash the culprit takes away, or null (see <see cref="Returning"/>).</param>
    public sealed record Reading(bool CrashStays, double Doubt, double? RemovedMissChance, string? KeptTitle, int KeptCrashes, int RevertRuns,
        bool KeptBugCrash = false, IReadOnlyList<string>? KeptTitles = null, Returning? BroughtBack = null);

    /// <summary>
    /// A crash, not the bug's, that the revert shows (twice at least) and neither the bad commit nor any other commit held
    /// to have the bug ever does, in so many of the runs the bug's crash left to it that one rate for them and for the
    /// runs without the culprit's change (the revert's, and those of the commits held to be without the bug) is past
    /// belief, and shown without the change at half the bug's rate with it or more (a rarer crash is missed by chance
    /// often enough over the many crashes a range shows): the culprit's change takes it away. A crash of another bug
    /// (or an unrelated one) would show at one rate with or without the culprit. Taken away, it is the bug's under its
    /// titles before the culprit (the culprit only changed them, and the bug came in earlier) or a bug the culprit
    /// fixed: either way the revert does not show the culprit brought the bug in.
    /// </summary>
    /// <param name="Title">The crash's title the revert showed most.</param>
    /// <param name="RevertCrashes">The revert's runs that showed it.</param>
    /// <param name="BadRuns">
    /// The runs of the bad commit and of the other commits held to have the bug that the bug's crash did not take (none
    /// showed the crash).
    /// </param>
    /// <param name="Chance">The chance its rate with the culprit's change is still at least its rate without it.</param>
    /// <param name="Titles">Every title and alt title of the crash.</param>
    public sealed record Returning(string Title, int RevertCrashes, int BadRuns, double Chance, IReadOnlyList<string> Titles);

    /// <summary>Below this chance of one rate with and without the culprit, a crash the revert shows is one the culprit takes away.</summary>
    public const double TakenAwayChance = 0.01;

    /// <param name="badRuns">Every run of the bad commit before verification.</param>
    /// <param name="revertRuns">The revert's runs.</param>
    /// <param name="bugTitles">The titles the strategy holds to be the bug's.</param>
    /// <param name="cleanRuns">Runs of commits held to be without the bug (judged good, the culprit's parent).</param>
    /// <param name="withBugRuns">
    /// Runs of the other commits held to have the bug (judged bad): a crash the culprit takes away shows on none of them
    /// either (<see cref="Returning"/>), while a crash that shows at one rate everywhere turns up there too.
    /// </param>
    public static Reading Read(IReadOnlyList<RunOutcome> badRuns, IReadOnlyList<RunOutcome> revertRuns, IReadOnlyList<string> bugTitles,
        IReadOnlyList<RunOutcome>? cleanRuns = null, IReadOnlyList<RunOutcome>? withBugRuns = null)
    {
        var clusters = new TitleClusters();
        foreach (var run in badRuns)
        {
            clusters.Add(run, onBadCommit: true);
        }
        foreach (var run in revertRuns)
        {
            clusters.Add(run, onBadCommit: false);
        }
        var bug = new HashSet<string>(StringComparer.Ordinal);
        foreach (var title in bugTitles)
        {
            if (clusters.ClusterOfTitle(title) is { } c)
            {
                bug.Add(c);
            }
        }
        // Crashes seen without the culprit's change (by any of their titles; the clean runs' clusters are not joined in).
        var background = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in (cleanRuns ?? []).Where(TitleClusters.IsCrash))
        {
            foreach (var title in (run.AltTitles ?? []).Prepend(run.Title ?? ""))
            {
                if (clusters.ClusterOfTitle(title) is { } c && !bug.Contains(c))
                {
                    background.Add(c);
                }
            }
        }
        var useful = badRuns.Where(r => r.Result != RunResult.InfraError).ToList();
        var revert = revertRuns.Where(r => r.Result != RunResult.InfraError).ToList();
        int keptOnBad = 0, keptOnRevert = 0, removedOnBad = 0;
        var keptBug = false;
        string? keptTitle = null;
        var keptTitles = new List<string>();
        var keptMost = 0;
        foreach (var cluster in clusters.Clusters)
        {
            var onBad = useful.Count(r => clusters.ClusterOf(r) == cluster);
            var onRevert = revert.Count(r => clusters.ClusterOf(r) == cluster);
            if (onRevert > 0 && (onBad > 0 || bug.Contains(cluster)) && !background.Contains(cluster))
            {
                keptOnBad += onBad;
                keptOnRevert += onRevert;
                keptBug |= bug.Contains(cluster);
                keptTitles.AddRange(clusters.TitlesOf(cluster));
                if (onRevert > keptMost)
                {
                    (keptMost, keptTitle) = (onRevert, revert.First(r => clusters.ClusterOf(r) == cluster).Title);
                }
            }
            else if (onRevert == 0 && onBad > 0 && bug.Contains(cluster))
            {
                removedOnBad += onBad;
            }
        }
        // Only the revert's clean runs could have shown the removed crashes: another crash ended the others first.
        var revertClean = revert.Count(r => r.Result == RunResult.Ok);
        double? missChance = removedOnBad > 0
            ? Math.Exp(BugClusters.LogBeta(removedOnBad + 1, useful.Count - removedOnBad + 1 + revertClean)
                - BugClusters.LogBeta(removedOnBad + 1, useful.Count - removedOnBad + 1))
            : null;
        var keptCrashes = keptOnBad + keptOnRevert;
        var back = BroughtBack(clusters, bug, bugTitles, useful, revert, withBugRuns ?? [], cleanRuns ?? []);
        if (keptCrashes == 0)
        {
            return new Reading(false, 0, missChance, null, 0, revert.Count, BroughtBack: back);
        }
        if (removedOnBad == 0)
        {
            return new Reading(true, 1, null, keptTitle, keptOnRevert, revert.Count, keptBug, keptTitles, back);
        }
        var doubt = ChanceAtLeast(keptCrashes, useful.Count + revert.Count - keptCrashes, removedOnBad, useful.Count - removedOnBad);
        return new Reading(doubt >= 0.5, doubt, missChance, keptTitle, keptOnRevert, revert.Count, keptBug, keptTitles, back);
    }

    /// <summary>The crash the revert shows most of those the culprit takes away (<see cref="Returning"/>), or null.</summary>
    private static Returning? BroughtBack(TitleClusters clusters, HashSet<string> bug, IReadOnlyList<string> strategyBugTitles, List<RunOutcome> useful,
        List<RunOutcome> revert, IReadOnlyList<RunOutcome> withBugRuns, IReadOnlyList<RunOutcome> cleanRuns)
    {
        // The bug's titles as the strategy holds them (other commits may show ones the bad commit did not) and as they cluster here.
        var bugTitles = bug.SelectMany(clusters.TitlesOf).Concat(strategyBugTitles).Distinct(StringComparer.Ordinal).ToList();
        var others = withBugRuns.Where(r => r.Result != RunResult.InfraError).ToList();
        // Without the culprit's change: the revert, and the commits held to be without the bug (another bug's or an
        // unrelated crash shows there at its one rate, and a rare one's few crashes on the revert are diluted).
        var without = revert.Concat(cleanRuns.Where(r => r.Result != RunResult.InfraError)).ToList();
        // A run reports one crash: the runs that showed the bug could not have shown another.
        var open = useful.Count(r => clusters.ClusterOf(r) is not { } c || !bug.Contains(c)) + others.Count(r => !r.ShowsAnyOf(bugTitles));
        var withBug = useful.Count + others.Count;
        var bugRate = withBug == 0 ? 0 : (double)(withBug - open) / withBug;
        Returning? most = null;
        foreach (var cluster in clusters.Clusters.Where(c => !bug.Contains(c)))
        {
            var onRevert = revert.Count(r => clusters.ClusterOf(r) == cluster);
            var titles = clusters.TitlesOf(cluster).ToList();
            if (onRevert < 2 || useful.Any(r => clusters.ClusterOf(r) == cluster) || others.Any(r => r.ShowsAnyOf(titles)))
            {
                continue;
            }
            var shownWithout = without.Count(r => r.ShowsAnyOf(titles));
            if (shownWithout < bugRate / 2 * without.Count)
            {
                // Rarer than half the bug's rate: a rare crash's chance absence, not the bug renamed (or a bug fixed) by the culprit.
                continue;
            }
            var chance = ChanceAtLeast(0, open, shownWithout, without.Count - shownWithout);
            if (chance < TakenAwayChance && (most is null || onRevert > most.RevertCrashes))
            {
                most = new Returning(revert.First(r => clusters.ClusterOf(r) == cluster).Title ?? "", onRevert, open, chance, titles);
            }
        }
        return most;
    }

    /// <summary>P(X ≥ Y) for rates X ~ Beta(a + 1, b + 1) and Y ~ Beta(c + 1, d + 1) (uniform priors), on a grid.</summary>
    private static double ChanceAtLeast(int a, int b, int c, int d)
    {
        var x = new double[GridPoints];
        var y = new double[GridPoints];
        for (var i = 0; i < GridPoints; i++)
        {
            var r = (i + 0.5) / GridPoints;
            x[i] = a * Math.Log(r) + b * Math.Log(1 - r);
            y[i] = c * Math.Log(r) + d * Math.Log(1 - r);
        }
        var (mx, my) = (x.Max(), y.Max());
        var (sx, sy) = (0.0, 0.0);
        for (var i = 0; i < GridPoints; i++)
        {
            x[i] = Math.Exp(x[i] - mx);
            y[i] = Math.Exp(y[i] - my);
            sx += x[i];
            sy += y[i];
        }
        // Y below X: Y in a lower cell, or in the same cell (half of it).
        var chance = 0.0;
        var below = 0.0;
        for (var i = 0; i < GridPoints; i++)
        {
            chance += x[i] / sx * (below + y[i] / sy / 2);
            below += y[i] / sy;
        }
        return Math.Clamp(chance, 0, 1);
    }
}
