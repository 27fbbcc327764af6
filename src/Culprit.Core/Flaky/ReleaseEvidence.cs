using Culprit.Core.Domain;

namespace Culprit.Core.Flaky;

/// <summary>
/// The probability that a release has the bug, from the crashing commit's runs and the release's,
/// by the flaky model's reading of crash titles (<see cref="BugClusters"/>): each crash cluster the
/// crashing commit showed is the bug (at its own rate, shown only where the bug is) or background
/// (another bug, at its own low rate everywhere). A crash the crashing commit also showed is then
/// no proof of the bug: an unrelated crash that struck both would otherwise make every release
/// "bad" and leave no good one, and counting it into the repro chance would rule a rare bug out
/// after too few clean runs. With one cluster that is surely the bug this is E[(1-p)^n] against 1.
/// </summary>
internal static class ReleaseEvidence
{
    /// <summary>Clusters weighed (the crashing commit's most frequent); rarer ones count as runs without the bug.</summary>
    private const int MaxClusters = 8;

    /// <param name="crashing">The runs of the commits known to have the bug: the crashing commit's, then those of releases judged bad (infra errors left out).</param>
    /// <param name="release">The release's runs (infra errors left out).</param>
    /// <param name="priorOdds">Prior odds that the release has the bug.</param>
    public static double ChanceOfBug(IReadOnlyList<RunOutcome> crashing, IReadOnlyList<RunOutcome> release, double priorOdds, bool anyCrash, string? bugTitle)
    {
        var clusters = new TitleClusters();
        foreach (var run in crashing)
        {
            clusters.Add(run, onBadCommit: true);
        }
        foreach (var run in release)
        {
            clusters.Add(run, onBadCommit: false);
        }
        var roles = BugClusters.Roles(clusters, anyCrash, bugTitle);
        var weighed = Enumerable.Range(0, roles.Count).Where(i => roles.OnBadCommit[i]).Take(MaxClusters).ToList();
        if (weighed.Count == 0)
        {
            // The bug's crash has not shown on the crashing commit (a named title it never showed): nothing marks the bug.
            return 0;
        }
        int Count(IReadOnlyList<RunOutcome> runs, int role) =>
            runs.Count(r => BugClusters.ClusterIndex(r, clusters, roles, anyCrash) == role);
        var m = crashing.Count;
        var n = release.Count;
        // Per cluster: log-likelihood of its counts as the bug with the release having it, as the bug without it, and as background.
        var bugThere = new double[weighed.Count];
        var bugAbsent = new double[weighed.Count];
        var background = new double[weighed.Count];
        var prior = new double[weighed.Count];
        for (var i = 0; i < weighed.Count; i++)
        {
            var a = Count(crashing, weighed[i]);
            var b = Count(release, weighed[i]);
            // The bug's rate has a uniform prior: Beta-binomial over the runs of the commits that have it.
            bugThere[i] = BugClusters.LogBeta(a + b + 1, m + n - a - b + 1);
            bugAbsent[i] = b == 0 ? BugClusters.LogBeta(a + 1, m - a + 1) : double.NegativeInfinity;
            background[i] = BugClusters.BackgroundLogEvidence(a + b, m + n);
            prior[i] = roles.Prior[weighed[i]];
        }
        // Every split of the clusters into bug and background with at least one bug cluster (the crashing commit crashes of the bug).
        var there = double.NegativeInfinity;
        var absent = double.NegativeInfinity;
        for (var set = 1; set < 1 << weighed.Count; set++)
        {
            double logPrior = 0, withBug = 0, withoutBug = 0;
            for (var i = 0; i < weighed.Count; i++)
            {
                var isBug = (set & (1 << i)) != 0;
                logPrior += Math.Log(isBug ? prior[i] : 1 - prior[i]);
                withBug += isBug ? bugThere[i] : background[i];
                withoutBug += isBug ? bugAbsent[i] : background[i];
            }
            if (double.IsNegativeInfinity(logPrior))
            {
                continue;
            }
            there = LogSpace.AddExp(there, logPrior + withBug);
            absent = LogSpace.AddExp(absent, logPrior + withoutBug);
        }
        var logOdds = Math.Log(priorOdds) + there - absent;
        return double.IsNaN(logOdds) ? 0 : 1 / (1 + Math.Exp(-logOdds));
    }
}
