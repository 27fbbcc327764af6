using Culprit.Core.Domain;

namespace Culprit.Core.Flaky;

/// <summary>One answer to "which crashes are the bug": a set of title clusters (or any crash at all).</summary>
internal sealed record BugHypothesis(IReadOnlySet<string> Clusters, bool AnyCrash, double Prior)
{
    public bool Covers(string? cluster) => cluster is not null && (AnyCrash || Clusters.Contains(cluster));
}

/// <summary>
/// The hypotheses about which crashes are the bug. By default the bad commit's crashes define it
/// (all clusters seen there, the rule users expect). But an unrelated crash can show on the bad
/// commit too, so each of its clusters alone is also a hypothesis (a priori as likely as it was
/// frequent there); and a manifestation of the bug the bad commit did not show may turn up later,
/// so the bad commit's clusters plus each later cluster is one more. The data decide: the bug's
/// crashes stop before the culprit, an unrelated one's do not. With the any-crash policy there is a
/// single hypothesis.
/// </summary>
internal static class BugHypotheses
{
    private const int MaxClusters = 16;
    private const double ExtraManifestationPrior = 0.2;

    public static List<BugHypothesis> From(TitleClusters clusters, bool anyCrash)
    {
        if (anyCrash)
        {
            return [new BugHypothesis(new HashSet<string>(), true, 1.0)];
        }
        var all = clusters.Clusters.Take(MaxClusters).ToList();
        var onBad = all.Where(clusters.SeenOnBadCommit).ToList();
        if (onBad.Count == 0)
        {
            return [];
        }
        var total = (double)onBad.Sum(clusters.CountOnBadCommit);
        var list = new List<BugHypothesis> { new(Set(onBad), false, 1.0) };
        if (onBad.Count > 1)
        {
            list.AddRange(onBad.Select(c => new BugHypothesis(Set([c]), false, clusters.CountOnBadCommit(c) / total)));
        }
        list.AddRange(all.Where(c => !onBad.Contains(c)).Select(c => new BugHypothesis(Set([.. onBad, c]), false, ExtraManifestationPrior)));
        return list;
    }

    private static HashSet<string> Set(IEnumerable<string> clusters) => new(clusters, StringComparer.Ordinal);

    /// <summary>
    /// Whether the bad commit has shown clearly enough what the bug looks like: its most frequent
    /// crash at least twice and at least twice as often as any other (or any crash at all under the
    /// any-crash policy).
    /// </summary>
    public static bool Settled(TitleClusters clusters, bool anyCrash)
    {
        var counts = clusters.Clusters.Select(clusters.CountOnBadCommit).Where(n => n > 0).OrderDescending().ToList();
        if (counts.Count == 0)
        {
            return false;
        }
        return anyCrash || (counts[0] >= 2 && (counts.Count == 1 || counts[0] >= 2 * counts[1]));
    }

    /// <summary>How the runs of one outcome count under a hypothesis.</summary>
    public static (int Bug, int Other, int Clean) Count(IEnumerable<RunOutcome> runs, TitleClusters clusters, BugHypothesis hypothesis)
    {
        int bug = 0, other = 0, clean = 0;
        foreach (var run in runs)
        {
            if (run.Result == RunResult.Ok)
            {
                clean++;
            }
            else if (TitleClusters.IsCrash(run))
            {
                if (hypothesis.Covers(clusters.ClusterOf(run)))
                {
                    bug++;
                }
                else
                {
                    other++;
                }
            }
        }
        return (bug, other, clean);
    }
}
