using Culprit.Core.Domain;
using Culprit.Core.Simulation.Policies;
using Culprit.Core.Strategies;

namespace Culprit.Core.Simulation;

/// <summary>
/// A job's flow on a scenario, step for step as <c>Culprit.Jobs.JobExecution</c> runs it: reproduce
/// on the bad commit and walk the releases back when no good commit is given, both judged by the
/// policy's <see cref="IEndpointJudge"/> (the range starts at the newest release that crashed), then
/// the strategy loop from the crashing end's outcomes on. Verification is not simulated.
/// </summary>
public static class SimulatedJob
{
    /// <summary>A strategy that has not finished after this many tests is stopped and scored wrong.</summary>
    private const int MaxSteps = 2000;

    /// <param name="workers">Commits tested at once in the strategy's rounds (the ends and releases go one at a time, as in a job).</param>
    public static BisectionResult Run(Scenario scenario, SimulatedPolicy policy, SimulatedTester tester, int workers = 1)
    {
        var bad = scenario.Graph.Commits[0];
        var judge = policy.Judge;
        var reproduced = new List<CommitOutcome> { tester.Test(bad, policy.FirstRuns) };
        EndpointStep said;
        while ((said = judge.JudgeCrashing(reproduced)) is MoreRuns more)
        {
            reproduced.Add(tester.Test(bad, more.Runs));
        }
        if (((EndpointVerdict)said).Verdict != Verdict.Bad)
        {
            return new BisectionResult(ResultKind.NotReproduced, null, [], Message: "the crash does not reproduce on the bad commit");
        }

        var graph = scenario.Graph;
        var startTests = reproduced;
        if (scenario.Facts.Releases is { } releases)
        {
            string? good = null, newestBad = null;
            List<CommitOutcome>? newestBadTests = null;
            foreach (var release in releases)
            {
                var tests = new List<CommitOutcome> { tester.Test(release, policy.FirstRuns) };
                while ((said = judge.JudgeRelease(reproduced, tests)) is MoreRuns more)
                {
                    tests.Add(tester.Test(release, more.Runs));
                }
                var verdict = ((EndpointVerdict)said).Verdict;
                if (verdict == Verdict.Good)
                {
                    good = release;
                    break;
                }
                if (verdict == Verdict.Bad && newestBad is null)
                {
                    (newestBad, newestBadTests) = (release, tests);
                }
            }
            if (good is null)
            {
                return new BisectionResult(ResultKind.NoGoodCommit, null, [], Message: "the crash reproduces on every release tested");
            }
            // As the job does: the range starts at the newest release that crashed.
            graph = Range(scenario.Graph, newestBad ?? bad, good);
            startTests = newestBadTests ?? reproduced;
        }

        var strategy = policy.Create(graph);
        Judgement? first = null;
        foreach (var outcome in startTests)
        {
            first = strategy.Record(outcome);
        }
        if (policy.NeedsBadFirstCommit && first!.Verdict != Verdict.Bad)
        {
            return new BisectionResult(ResultKind.NotReproduced, null, [], Message: "the bad commit did not crash");
        }
        for (var step = 0; step < MaxSteps; step++)
        {
            switch (strategy.NextRound(workers))
            {
                case Finished finished:
                    return finished.Result;
                case TestRound round:
                    foreach (var outcome in tester.TestRound(round.Tests))
                    {
                        strategy.Record(outcome);
                    }
                    break;
                default:
                    throw new InvalidOperationException("unknown bisection step");
            }
        }
        return new BisectionResult(ResultKind.Error, null, [], Message: $"no answer after {MaxSteps} tests");
    }

    /// <summary>The range from <paramref name="top"/> down to <paramref name="good"/>: top's ancestors that are not good's.</summary>
    private static CommitGraph Range(CommitGraph graph, string top, string good)
    {
        if (!graph.Contains(good))
        {
            return graph;
        }
        var excluded = graph.AncestorsOf(good);
        var included = graph.AncestorsOf(top);
        return new CommitGraph(graph.Commits.Where(c => included.Contains(c) && !excluded.Contains(c)).Select(c => (c, graph.ParentsOf(c))));
    }
}
