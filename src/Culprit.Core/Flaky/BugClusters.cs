using Culprit.Core.Domain;

namespace Culprit.Core.Flaky;

/// <summary>
/// What the model knows a priori about each title cluster: whether the bad commit showed it (the bug
/// must be among those), and how likely it is to be the bug rather than background. Each cluster is
/// one or the other: the bug's crashes show only on commits that have it, at the cluster's own rate;
/// a background cluster (another bug) shows at its own rate on every commit alike.
/// </summary>
/// <param name="Clusters">The clusters the model tracks, in a fixed order.</param>
/// <param name="Prior">Per cluster, the prior probability it is the bug.</param>
/// <param name="OnBadCommit">Per cluster, whether the bad commit showed it.</param>
internal sealed record ClusterRoles(IReadOnlyList<string> Clusters, IReadOnlyList<double> Prior, IReadOnlyList<bool> OnBadCommit)
{
    public int Count => Clusters.Count;

    public int IndexOf(string? cluster)
    {
        for (var i = 0; i < Clusters.Count; i++)
        {
            if (Clusters[i] == cluster)
            {
                return i;
            }
        }
        return -1;
    }
}

/// <summary>
/// The rules that say which crashes may be the bug. The bad commit's most frequent crash is very
/// likely the bug, its other crashes about as likely as not, and crashes it never showed seldom (an
/// unrelated crash is far more common than a manifestation the bad commit did not show). With the
/// any-crash policy every crash is one cluster, the bug for certain.
/// </summary>
internal static class BugClusters
{
    /// <summary>Pseudo-cluster for the any-crash policy.</summary>
    public const string AnyCrash = "\u0000any crash";

    /// <summary>Clusters the model tracks; the runs of rarer ones only count as runs without the bug.</summary>
    private const int MaxClusters = 12;

    private const double MainCrashPrior = 0.9;
    private const double OtherBadCommitCrashPrior = 0.5;
    private const double LaterCrashPrior = 0.1;

    /// <summary>Priors when the user named the bug: its cluster is the bug, any other crash almost surely another bug.</summary>
    private const double NamedBugPrior = 0.999;
    private const double OtherThanNamedPrior = 0.01;

    /// <summary>
    /// The rate of a background cluster has a Beta(1, 40) prior (mean 2.5 % of runs): another bug's
    /// crash is the exception on any one run.
    /// </summary>
    private const int BackgroundPriorWeight = 40;

    /// <param name="bugTitle">A title the user named as the bug's (see <see cref="FlakyOptions.BugTitle"/>), or null.</param>
    public static ClusterRoles Roles(TitleClusters clusters, bool anyCrash, string? bugTitle = null)
    {
        if (anyCrash)
        {
            return new ClusterRoles([AnyCrash], [1.0], [true]);
        }
        var named = bugTitle is null ? null : clusters.ClusterOfTitle(bugTitle);
        if (bugTitle is not null && named is null)
        {
            // The named crash has not shown yet: no hypothesis about the bug can be made.
            return new ClusterRoles([], [], []);
        }
        var ordered = clusters.Clusters
            .Select((c, seen) => (Cluster: c, Seen: seen))
            .OrderByDescending(x => x.Cluster == named)
            .ThenByDescending(x => clusters.CountOnBadCommit(x.Cluster))
            .ThenByDescending(x => clusters.CountAll(x.Cluster))
            .ThenBy(x => x.Seen)
            .Take(MaxClusters)
            .Select(x => x.Cluster)
            .ToList();
        if (ordered.Count == 0 || !clusters.SeenOnBadCommit(ordered[0]))
        {
            return new ClusterRoles([], [], []);
        }
        var onBad = ordered.Select(clusters.SeenOnBadCommit).ToList();
        var prior = named is not null
            ? ordered.Select(c => c == named ? NamedBugPrior : OtherThanNamedPrior).ToList()
            : ordered.Select((c, i) => i == 0 ? MainCrashPrior : onBad[i] ? OtherBadCommitCrashPrior : LaterCrashPrior).ToList();
        return new ClusterRoles(ordered, prior, onBad);
    }

    /// <summary>The tracked cluster a run counts for (-1 for clean runs, infra errors and untracked crashes).</summary>
    public static int ClusterIndex(RunOutcome run, TitleClusters clusters, ClusterRoles roles, bool anyCrash)
    {
        if (!TitleClusters.IsCrash(run))
        {
            return -1;
        }
        return anyCrash ? 0 : roles.IndexOf(clusters.ClusterOf(run));
    }

    /// <summary>
    /// How often the bad commit's bug must crash before the bisection starts. Two crashes say what the
    /// bug looks like, but in 10–20 runs they leave its repro chance anywhere from a few percent to a
    /// third, and every clean run later is read against that chance. Runs on the bad commit are the
    /// cheapest a job has (its build is made), so it goes on to four (within the same 10, 10, 20, 40
    /// runs). Measured with `simulate --scenarios 1000 --policies flaky`: seed 1 0.990 → 0.996 right
    /// at 176.9 → 177.3 machine-minutes (repro chance 0.05–0.10: 0.843 → 0.922), seed 3 0.987 → 0.991;
    /// three, five or six crashes did worse.
    /// </summary>
    public const int SettlingCrashes = 4;

    /// <summary>
    /// Whether the bad commit has shown clearly enough what the bug looks like: its most frequent
    /// crash (or the crash the user named) <see cref="SettlingCrashes"/> times, or at least twice and in
    /// at least half of its <paramref name="usefulRuns"/> (runs that were not infra errors: a reproducer
    /// that crashes that often has told its chance already), or any crash at all under the any-crash policy.
    /// </summary>
    public static bool Settled(TitleClusters clusters, bool anyCrash, string? bugTitle, int usefulRuns)
    {
        var named = bugTitle is null ? null : clusters.ClusterOfTitle(bugTitle);
        var most = bugTitle is not null
            ? named is null ? 0 : clusters.CountOnBadCommit(named)
            : clusters.Clusters.Select(clusters.CountOnBadCommit).DefaultIfEmpty(0).Max();
        return most > 0 && (anyCrash || most >= SettlingCrashes || (most >= 2 && 2 * most >= usefulRuns));
    }

    /// <summary>
    /// The log-probability of one cluster's crashes if it is background: <paramref name="crashes"/>
    /// of <paramref name="runs"/> runs, at a rate integrated out over its Beta prior. It does not
    /// depend on the culprit.
    /// </summary>
    public static double BackgroundLogEvidence(int crashes, int runs) =>
        LogBeta(crashes + 1, runs - crashes + BackgroundPriorWeight) - LogBeta(1, BackgroundPriorWeight);

    /// <summary>log B(a, b) for whole a, b ≥ 1.</summary>
    public static double LogBeta(int a, int b) => LogFactorial(a - 1) + LogFactorial(b - 1) - LogFactorial(a + b - 1);

    private static double LogFactorial(int n)
    {
        var sum = 0.0;
        for (var i = 2; i <= n; i++)
        {
            sum += Math.Log(i);
        }
        return sum;
    }
}
