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
/// after it; otherwise: another crash at its own rate r on every commit alike (a rare background
/// crash or a second bug at any rate), the bug's titles after the commit at their own rate. A second
/// bug or an unrelated crash goes on showing after the commit (often on the bad commit itself) and
/// rarely matches the bug's rate; that is what keeps them from being read as a rename.
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
    /// <param name="Renamed">
    /// The clusters a rename taken joins to the bug: those the parents showed at least
    /// <see cref="MinOldCrashes"/> times (all of them when none did). One crash of a title is what an
    /// unrelated crash shows by chance; joined to the bug, every later stray crash of it would count
    /// as the bug (the true culprit's parent would then "crash too" and the culprit be doubted).
    /// </param>
    /// <param name="Parent">The parent (range index) whose runs the reading took.</param>
    public sealed record Reading(IReadOnlyList<string> Clusters, double Probability, int OldCrashes, int ParentRuns, int BugCrashes, int AfterRuns,
        IReadOnlyList<string> Renamed, int Parent);

    /// <summary>
    /// A reading at least this likely is a doubt worth runs before the answer is given (below it, the
    /// answer's confidence carries it).
    /// </summary>
    public const double WeakSign = 0.01;

    /// <summary>A reading this likely is taken (the old titles join the bug) once runs cannot tell more.</summary>
    public const double Taken = 0.5;

    /// <summary>
    /// A reading this likely is taken at once. Below it a second bug that came in earlier reads like a
    /// rename when the few runs after the commit crashed with the bug before the other titles could
    /// show (seed 1 #56 of the second-bug world: 72.9 % after 3 such runs); taking it sends the search
    /// after the second bug.
    /// </summary>
    public const double Sure = 0.95;

    /// <summary>Runs on each side of a weak reading (the parent, the crashing commit) before the answer is given anyway.</summary>
    private const int MaxEvidenceRuns = 60;

    /// <summary>
    /// Where more runs tell a reading short of sure (<see cref="WeakSign"/> to <see cref="Sure"/>) one way or
    /// the other, or null when both sides have had <see cref="MaxEvidenceRuns"/>. Both commits are
    /// built already, so each run costs only its run time. Runs on the crashing commit (never stopped
    /// at a crash) give the old titles runs the bug did not take to show in: under a second bug or
    /// an unrelated crash they show there at the parent's rate, renamed they never do. Runs on the
    /// parent measure the old titles' rate, which renamed is the bug's. The side with fewer runs first.
    /// </summary>
    /// <param name="crashing">The crashing commit (range index; it is after every candidate).</param>
    /// <param name="crashingRuns">The runs made on it so far.</param>
    public static int? EvidenceTest(Reading reading, int crashing, int crashingRuns)
    {
        if (reading.Probability is < WeakSign or >= Sure)
        {
            return null;
        }
        if (crashingRuns < MaxEvidenceRuns && (crashingRuns <= reading.ParentRuns || reading.ParentRuns >= MaxEvidenceRuns))
        {
            return crashing;
        }
        return reading.ParentRuns < MaxEvidenceRuns ? reading.Parent : null;
    }

    /// <summary>
    /// The rename reading at <paramref name="named"/> (from the parent that speaks most for it), or
    /// null when no tested parent shows a crash the commits after it lack.
    /// </summary>
    /// <param name="history">Every built test so far (range indexes).</param>
    /// <param name="bugClusters">The clusters taken to be the bug (never read as old titles).</param>
    /// <param name="ruledOut">
    /// Whether the posterior holds a commit not to be the culprit: an untested parent so held (a merge
    /// of tested sides, a commit that cannot change the build) crashes as its nearest tested
    /// ancestors do, and they are read in its place.
    /// </param>
    public static Reading? At(int named, CommitGraph graph, Ancestry ancestors, TitleClusters clusters,
        IReadOnlyList<(int Commit, CommitOutcome Outcome)> history, IReadOnlyCollection<string> bugClusters, Func<int, bool>? ruledOut = null)
    {
        // Each parent on its own: at a merge, the titles may have changed on one side only.
        Reading? best = null;
        foreach (var parent in TestedParents(named, graph, history, ruledOut ?? (_ => false)))
        {
            if (FromParent(named, parent, ancestors, clusters, history, bugClusters) is { } reading
                && (best is null || reading.Probability > best.Probability))
            {
                best = reading;
            }
        }
        return best;
    }

    /// <summary>Most untested commits walked through to find a parent's tested stand-ins.</summary>
    private const int MaxWalk = 64;

    /// <summary>
    /// The commits read as the named commit's parents: each range parent that was tested, or, for one
    /// that was not and is ruled out as the culprit, its nearest tested ancestors through such commits.
    /// </summary>
    private static IEnumerable<int> TestedParents(int named, CommitGraph graph, IReadOnlyList<(int Commit, CommitOutcome Outcome)> history,
        Func<int, bool> ruledOut)
    {
        var tested = history.Where(h => h.Commit >= 0 && h.Outcome.Built).Select(h => h.Commit).ToHashSet();
        var seen = new HashSet<int>();
        var pending = new Queue<int>(graph.RangeParentsAt(named).ToArray());
        var walked = 0;
        while (pending.Count > 0)
        {
            var commit = pending.Dequeue();
            if (!seen.Add(commit))
            {
                continue;
            }
            if (tested.Contains(commit))
            {
                yield return commit;
            }
            else if (walked++ < MaxWalk && ruledOut(commit))
            {
                foreach (var parent in graph.RangeParentsAt(commit))
                {
                    pending.Enqueue(parent);
                }
            }
        }
    }

    private static Reading? FromParent(int named, int parentCommit, Ancestry ancestors, TitleClusters clusters,
        IReadOnlyList<(int Commit, CommitOutcome Outcome)> history, IReadOnlyCollection<string> bugClusters)
    {
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
            var parent = commit == parentCommit;
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
                        // Any crash after counts as the bug's: its titles there may be split over
                        // clusters the model is not sure of yet, and a run reports one crash.
                        seenAfter.Add(cluster);
                        bugAfter++;
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
        // Otherwise: the bug's rate after on its own, the old titles another crash at its own rate r
        // on both sides; after the commit only the runs no crash took could show it (a run
        // reports its first crash). r is a background crash's (rare) or a second bug's (any rate),
        // even odds.
        var free = afterRuns - bugAfter;
        var asBackground = BugClusters.BackgroundLogEvidence(oldCrashes, parentRuns + free);
        var asSecondBug = BugClusters.LogBeta(oldCrashes + 1, parentRuns - oldCrashes + free + 1);
        var otherwise = BugClusters.LogBeta(bugAfter + 1, afterRuns - bugAfter + 1)
            + Math.Log(0.5) + LogSpace.AddExp(asBackground, asSecondBug);
        var logOdds = Math.Log(PriorRename / (1 - PriorRename)) + renamed - otherwise;
        var probability = 1 / (1 + Math.Exp(-logOdds));
        var repeated = old.Where(c => onParents[c] >= MinOldCrashes).ToList();
        return new Reading(old, probability, oldCrashes, parentRuns, bugAfter, afterRuns, repeated.Count > 0 ? repeated : old, parentCommit);
    }
}
