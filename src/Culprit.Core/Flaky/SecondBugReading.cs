using Culprit.Core.Domain;

namespace Culprit.Core.Flaky;

/// <summary>
/// Whether the bad commit's crash that the posterior holds to be background is rather a bug of its
/// own, brought in at another commit than the answer. The posterior has one culprit for every
/// cluster it takes for the bug, so when two bugs come in at two commits of the range it must take
/// one of them for background; background is one rate on every commit, counted over all runs, so a
/// crash seen only on the newest commits, a few times in the bad commit's runs, passes for it. Read
/// on its own, such a cluster's runs fit a step (no crash before some commit, its own rate after)
/// far better than one rate everywhere. When that step lies elsewhere than the answer and the bad
/// commit showed that crash at least as often as the bug's, the answer explains the lesser of the
/// bad commit's crashes: a doubt the posterior cannot see, which lowers the stated confidence.
/// </summary>
internal static class SecondBugReading
{
    /// <summary>Prior chance that a crash held to be background came in at a commit of its own.</summary>
    private const double PriorStep = 0.1;

    /// <summary>The step reading's rate of the crash before its step (a mistitled report, as <see cref="ModelGrid.TitleMatching"/>'s ε).</summary>
    private const double StrayRate = 0.005;

    /// <summary>Crashes the bad commit must show at the least before a cluster is read as a bug of its own.</summary>
    private const int MinBadCrashes = 2;

    /// <param name="Cluster">The crash's cluster.</param>
    /// <param name="Probability">The chance it is a bug that came in elsewhere than the answer.</param>
    public sealed record Reading(string Cluster, double Probability, int BadCrashes, int BadRuns);

    /// <param name="answer">The commit the posterior names.</param>
    /// <param name="history">Every built test so far (range indexes; the bad commit is 0).</param>
    public static Reading? Against(int answer, CommitGraph graph, Ancestry ancestors, TitleClusters clusters, ClusterRoles roles,
        Func<int, double> bugProbability, IReadOnlyList<(int Commit, CommitOutcome Outcome)> history)
    {
        var bugOnBad = Enumerable.Range(0, roles.Count).Where(k => bugProbability(k) >= 0.5)
            .Select(k => clusters.CountOnBadCommit(roles.Clusters[k])).DefaultIfEmpty(0).Max();
        Reading? best = null;
        for (var k = 0; k < roles.Count; k++)
        {
            var cluster = roles.Clusters[k];
            var onBad = clusters.CountOnBadCommit(cluster);
            if (bugProbability(k) >= 0.5 || onBad < Math.Max(MinBadCrashes, bugOnBad))
            {
                continue;
            }
            var (probability, badRuns) = StepElsewhere(answer, graph, ancestors, clusters, cluster, history);
            if (best is null || probability > best.Probability)
            {
                best = new Reading(cluster, probability, onBad, badRuns);
            }
        }
        return best;
    }

    /// <summary>P(the cluster's crashes are a step, not at the answer) against one rate everywhere; and the bad commit's runs.</summary>
    private static (double Probability, int BadRuns) StepElsewhere(int answer, CommitGraph graph, Ancestry ancestors, TitleClusters clusters,
        string cluster, IReadOnlyList<(int Commit, CommitOutcome Outcome)> history)
    {
        // Runs and crashes per tested commit.
        var tested = new Dictionary<int, (int Runs, int Crashes)>();
        foreach (var (commit, outcome) in history)
        {
            if (commit < 0 || !outcome.Built)
            {
                continue;
            }
            var (runs, crashes) = tested.GetValueOrDefault(commit);
            foreach (var run in outcome.Runs.Where(r => r.Result != RunResult.InfraError))
            {
                runs++;
                crashes += clusters.ClusterOf(run) == cluster ? 1 : 0;
            }
            tested[commit] = (runs, crashes);
        }
        var commits = tested.Keys.Order().ToArray();
        var totalRuns = tested.Values.Sum(t => t.Runs);
        var totalCrashes = tested.Values.Sum(t => t.Crashes);
        var (logStray, logClean) = (Math.Log(StrayRate), Math.Log(1 - StrayRate));
        // Every commit of the range as the step; commits on the same side of every tested commit share a likelihood.
        var step = double.NegativeInfinity;
        var atAnswer = double.NegativeInfinity;
        var answerSide = commits.Select(t => ancestors.IsAncestor(answer, t)).ToArray();
        for (var c = 0; c < graph.Count; c++)
        {
            int runsIn = 0, crashesIn = 0;
            var sameAsAnswer = true;
            for (var i = 0; i < commits.Length; i++)
            {
                var inside = ancestors.IsAncestor(c, commits[i]);
                sameAsAnswer &= inside == answerSide[i];
                if (inside)
                {
                    runsIn += tested[commits[i]].Runs;
                    crashesIn += tested[commits[i]].Crashes;
                }
            }
            var (runsOut, crashesOut) = (totalRuns - runsIn, totalCrashes - crashesIn);
            var logLikelihood = BugClusters.LogBeta(crashesIn + 1, runsIn - crashesIn + 1) + crashesOut * logStray + (runsOut - crashesOut) * logClean;
            step = LogSpace.AddExp(step, logLikelihood);
            if (sameAsAnswer)
            {
                atAnswer = LogSpace.AddExp(atAnswer, logLikelihood);
            }
        }
        var elsewhere = 1 - Math.Exp(atAnswer - step);
        var logStep = step - Math.Log(graph.Count);
        var logOdds = Math.Log(PriorStep / (1 - PriorStep)) + logStep - BugClusters.BackgroundLogEvidence(totalCrashes, totalRuns);
        return (elsewhere / (1 + Math.Exp(-logOdds)), tested.GetValueOrDefault(0).Runs);
    }
}
