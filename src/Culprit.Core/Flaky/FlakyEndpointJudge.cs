using System.Globalization;
using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Core.Flaky;

/// <summary>
/// The flaky strategy's judge of the ends. The crashing commit gets two more tests with twice the
/// runs each before the crash counts as not reproduced. A release is bad once the bug is there with
/// all but the target's risk made five times smaller (99 % for 0.95), good once it is there with at
/// most that risk (1 %); in between its runs double until the budget for one release is spent. The
/// chance comes from <see cref="ReleaseEvidence"/>: which of the crashing commit's crashes are the
/// bug is weighed, not assumed, so another bug's crash seen on both is no proof, and with one crash
/// surely the bug it is E[(1-p)^n] for p the repro chance's Beta posterior.
/// </summary>
public sealed class FlakyEndpointJudge(IVerdictPolicy policy, FlakyOptions options) : IEndpointJudge
{
    private const int CrashingAttempts = 3;

    /// <summary>A release gets at most this many times the first run count before it is judged as it stands.</summary>
    private const int ReleaseRunFactor = 8;

    /// <summary>Prior odds that an older release still has the bug: even.</summary>
    private const double PriorBugOdds = 1.0;

    /// <summary>The chance of the bug left on a release judged good: the target's risk made five times smaller, like the bisection's stop rule.</summary>
    private double ReleaseRisk => (1 - options.Confidence) / FlakyStrategy.ExtraCertainty;

    public EndpointStep JudgeCrashing(IReadOnlyList<CommitOutcome> tests)
    {
        var last = tests[^1];
        if (policy.Judge(last) == Verdict.Bad || tests.Any(t => policy.Judge(t) == Verdict.Bad))
        {
            return new EndpointVerdict(Verdict.Bad);
        }
        if (!last.Built || tests.Count >= CrashingAttempts)
        {
            return new EndpointVerdict(Verdict.Good);
        }
        var runs = options.FirstRuns << tests.Count;
        return new MoreRuns(runs, $"no crash in {last.Runs.Count} runs on {last.Commit}: trying again with {runs} runs");
    }

    public EndpointStep JudgeRelease(IReadOnlyList<CommitOutcome> crashing, IReadOnlyList<CommitOutcome> tests)
    {
        if (!tests[^1].Built)
        {
            return new EndpointVerdict(Verdict.Skip);
        }
        // A test the policy does not judge bad shows no crash of the bug (another bug's crash says only that this run did not show ours).
        var runs = tests.SelectMany(t => policy.Judge(t) == Verdict.Bad ? t.Runs : t.Runs.Select(Clean))
            .Where(r => r.Result != RunResult.InfraError).ToList();
        if (runs.Count == 0)
        {
            return new EndpointVerdict(Verdict.Skip);
        }
        var bugRuns = crashing.SelectMany(t => t.Runs).Where(r => r.Result != RunResult.InfraError).ToList();
        // Which of the crashing commit's crashes are the bug is itself uncertain (ReleaseEvidence).
        var pBug = ReleaseEvidence.ChanceOfBug(bugRuns, runs, PriorBugOdds, options.AnyCrash, options.BugTitle);
        // A release judged good ends the range, one judged bad may start it: the answer is only as
        // sure as those verdicts, so each must be as sure as the bisection makes its answer before
        // stopping (0.99 for 0.95).
        if (pBug >= 1 - ReleaseRisk)
        {
            return new EndpointVerdict(Verdict.Bad);
        }
        if (pBug <= ReleaseRisk)
        {
            return new EndpointVerdict(Verdict.Good);
        }
        var spent = tests.Sum(t => t.Runs.Count);
        var clean = runs.Count(r => !IsBug(r, BugTitles(crashing)));
        if (spent >= options.FirstRuns * ReleaseRunFactor)
        {
            return pBug >= 0.5
                ? new EndpointVerdict(Verdict.Bad, string.Create(CultureInfo.InvariantCulture,
                    $"taken as bad after {runs.Count} runs: its crashes are the bug's with {pBug * 100:0.0}% probability"))
                : new EndpointVerdict(Verdict.Good, string.Create(CultureInfo.InvariantCulture,
                    $"taken as good after {clean} clean runs, though a flaky bug could still hide there ({pBug * 100:0.0}% probability)"));
        }
        var more = Math.Min(spent, options.FirstRuns * ReleaseRunFactor - spent);
        var k = bugRuns.Count(r => IsBug(r, BugTitles(crashing)));
        var why = clean == runs.Count
            ? string.Create(CultureInfo.InvariantCulture,
                $"{clean} clean runs do not rule the bug out (repro chance {(k + 1.0) / (bugRuns.Count + 2.0):0.00}; {pBug * 100:0.0}% it is there)")
            : string.Create(CultureInfo.InvariantCulture,
                $"{runs.Count - clean} crashes in {runs.Count} runs may be another bug's ({pBug * 100:0.0}% it is there)");
        return new MoreRuns(more, $"{why}: testing again with {more} runs");
    }

    private static RunOutcome Clean(RunOutcome run) => run.IsCrash ? RunOutcome.Ok() : run;

    /// <summary>
    /// E[(1-p)^n] for p ~ Beta(k+1, m-k+1): the chance that n runs all miss a bug whose crashes
    /// showed in k of m runs of the crashing commit.
    /// </summary>
    public static double ChanceOfMissing(int k, int m, int n)
    {
        // B(k+1, m-k+1+n) / B(k+1, m-k+1) = Π_{i=0}^{n-1} (m-k+1+i) / (m+2+i)
        var log = 0.0;
        for (var i = 0; i < n; i++)
        {
            log += Math.Log(m - k + 1.0 + i) - Math.Log(m + 2.0 + i);
        }
        return Math.Exp(log);
    }

    /// <summary>
    /// The fewest clean runs (at most <paramref name="cap"/>) after which a bug whose crashes showed in
    /// <paramref name="k"/> of <paramref name="m"/> runs would have shown with all but
    /// <paramref name="risk"/> chance (<see cref="ChanceOfMissing"/>): a reproducer that crashes 10 of
    /// 10 times needs 3 clean runs to be ruled out, not 20. At least one run.
    /// </summary>
    public static int RunsToRuleOut(int k, int m, double risk, int cap, double fraction = 1)
    {
        for (var n = 1; n < cap; n++)
        {
            if ((fraction >= 1 ? ChanceOfMissing(k, m, n) : ChanceOfMissing(k, m, n, fraction)) <= risk)
            {
                return n;
            }
        }
        return Math.Max(1, cap);
    }

    /// <summary>
    /// E[(1 - f p)^n] for p ~ Beta(k+1, m-k+1): the chance that n runs all miss the bug where it shows
    /// <paramref name="fraction"/> f as often as on the crashing commit (a commit below one that made it show more
    /// often). Integrated on a grid: the product form of <see cref="ChanceOfMissing(int,int,int)"/> holds for f = 1 only.
    /// </summary>
    public static double ChanceOfMissing(int k, int m, int n, double fraction)
    {
        const int Steps = 400;
        double total = 0, weight = 0;
        for (var i = 0; i < Steps; i++)
        {
            var p = (i + 0.5) / Steps;
            var density = Math.Exp(k * Math.Log(p) + (m - k) * Math.Log(1 - p));
            total += density * Math.Pow(1 - fraction * p, n);
            weight += density;
        }
        return total / weight;
    }

    private HashSet<string> BugTitles(IReadOnlyList<CommitOutcome> crashing)
    {
        if (options.BugTitle is { } named)
        {
            return [named];
        }
        var titles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in crashing.SelectMany(t => t.Runs).Where(TitleClusters.IsCrash))
        {
            titles.Add(run.Title ?? "");
            foreach (var alt in run.AltTitles ?? [])
            {
                titles.Add(alt);
            }
        }
        return titles;
    }

    private bool IsBug(RunOutcome run, HashSet<string> titles) => run.IsCrash && (options.AnyCrash || run.ShowsAnyOf(titles));
}
