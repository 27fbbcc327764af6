using Culprit.Core.Domain;

namespace Culprit.Core.Flaky;

/// <summary>
/// Whether the commit the posterior names may only have changed the bug's crash titles: its parents
/// crash with other titles, which no tested commit after it shows, about as often as the bug's
/// titles show after it. The model has each crash title fixed, so it takes such a commit for the
/// culprit; the reading "the same bug, renamed" merges the old titles into the bug and moves the
/// search below.
/// <para>
/// The two readings of the old titles' crashes, weighed by their evidence:
/// renamed: they are the bug on the parents (rate p, the bug's rate after the commit) and never show
/// after it; otherwise: another crash at its own rate r (Beta(1, 40), like any background crash) on
/// every commit alike, the bug's titles after the commit at their own rate. A second bug or an
/// unrelated crash goes on showing after the commit (often on the bad commit itself) and rarely
/// matches the bug's rate; that is what keeps them from being read as a rename.
/// </para>
/// </summary>
internal static class TitleChangeReading
{
    /// <summary>Prior probability that the bug's titles changed at the named commit (rare: crash reports keep their titles).</summary>
    private const double PriorRename = 0.1;

    /// <summary>Old-title crashes the parents must show at the least before a rename is considered.</summary>
    private const int MinOldCrashes = 2;

    /// <param name="Clusters">The old titles' clusters (shown on the parents, never after the commit).</param>
    /// <param name="Probability">The posterior probability of the rename reading.</param>
    public sealed record Reading(IReadOnlyList<string> Clusters, double Probability, int OldCrashes, int ParentRuns, int BugCrashes, int AfterRuns);

    /// <summary>
    /// The rename reading at <paramref name="named"/>, or null when its tested parents show no
    /// crash the commits after it lack.
    /// </summary>
    /// <param name="history">Every built test so far (range indexes).</param>
    /// <param name="bugClusters">The clusters taken to be the bug.</param>
    public static Reading? At(int named, CommitGraph graph, Ancestry ancestors, TitleClusters clusters,
        IReadOnlyList<(int Commit, CommitOutcome Outcome)> history, IReadOnlyCollection<string> bugClusters)
    {
        var parents = graph.RangeParentsAt(named).ToArray();
        var afterRuns = 0;
        var bugAfter = 0;
        var seenAfter = new HashSet<string>(StringComparer.Ordinal);
        var parentRuns = 0;
        var onParents = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (commit, outcome) in history)
        {
            if (commit < 0 || !outcome.Built)
            {
                continue;
            }
            var after = ancestors.IsAncestor(named, commit);
            var parent = Array.IndexOf(parents, commit) >= 0;
            if (!after && !parent)
            {
                continue;
            }
            foreach (var run in outcome.Runs)
            {
                if (run.Result == RunResult.InfraError)
                {
                    continue;
                }
                var cluster = clusters.ClusterOf(run);
                if (after)
                {
                    afterRuns++;
                    if (cluster is not null)
                    {
                        seenAfter.Add(cluster);
                        bugAfter += bugClusters.Contains(cluster) ? 1 : 0;
                    }
                }
                else
                {
                    parentRuns++;
                    if (cluster is not null && !bugClusters.Contains(cluster))
                    {
                        onParents[cluster] = onParents.GetValueOrDefault(cluster) + 1;
                    }
                }
            }
        }
        var old = onParents.Keys.Where(c => !seenAfter.Contains(c)).OrderBy(c => c, StringComparer.Ordinal).ToList();
        var oldCrashes = old.Sum(c => onParents[c]);
        if (oldCrashes < MinOldCrashes || afterRuns == 0)
        {
            return null;
        }
        // Renamed: one rate p for the old titles on the parents and the bug's after (uniform prior).
        var renamed = BugClusters.LogBeta(oldCrashes + bugAfter + 1, parentRuns - oldCrashes + afterRuns - bugAfter + 1);
        // Otherwise: the bug's rate after on its own, the old titles a background crash on both sides.
        var otherwise = BugClusters.LogBeta(bugAfter + 1, afterRuns - bugAfter + 1)
            + BugClusters.BackgroundLogEvidence(oldCrashes, parentRuns + afterRuns);
        var logOdds = Math.Log(PriorRename / (1 - PriorRename)) + renamed - otherwise;
        var probability = 1 / (1 + Math.Exp(-logOdds));
        return new Reading(old, probability, oldCrashes, parentRuns, bugAfter, afterRuns);
    }
}
