using Culprit.Core.Domain;
using Culprit.Core.Simulation.Policies;
using Culprit.Core.Strategies;

namespace Culprit.Core.Simulation;

/// <summary>
/// A job's flow on a scenario, step for step as <c>Culprit.Jobs.JobExecution</c> runs it: reproduce
/// on the bad commit (the flaky strategy tries twice more with double the runs; any crash counts),
/// walk the releases back when no good commit is given (a release is good when none of its runs
/// crashed), then the strategy loop from the reproducing outcomes on. Verification is not simulated.
/// </summary>
public static class SimulatedJob
{
    /// <summary>A strategy that has not finished after this many tests is stopped and scored wrong.</summary>
    private const int MaxSteps = 2000;

    public static BisectionResult Run(Scenario scenario, SimulatedPolicy policy, SimulatedTester tester)
    {
        var bad = scenario.Graph.Commits[0];
        var reproduced = new List<CommitOutcome> { tester.Test(bad, policy.FirstRuns) };
        for (var attempt = 1; attempt <= 2 && policy.RetriesReproduce && !Crashes(reproduced[^1]); attempt++)
        {
            reproduced.Add(tester.Test(bad, policy.FirstRuns << attempt));
        }
        if (!Crashes(reproduced[^1]))
        {
            return new BisectionResult(ResultKind.NotReproduced, null, [], Message: "the crash does not reproduce on the bad commit");
        }

        var graph = scenario.Graph;
        if (scenario.Facts.Releases is { } releases)
        {
            var good = releases.FirstOrDefault(r => AnyCrashPolicy.Instance.Judge(tester.Test(r, policy.FirstRuns)) == Verdict.Good);
            if (good is null)
            {
                return new BisectionResult(ResultKind.NoGoodCommit, null, [], Message: "the crash reproduces on every release tested");
            }
            graph = Below(scenario.Graph, good);
        }

        var strategy = policy.Create(graph);
        Judgement? first = null;
        foreach (var outcome in reproduced)
        {
            first = strategy.Record(outcome);
        }
        if (policy.NeedsBadFirstCommit && first!.Verdict != Verdict.Bad)
        {
            return new BisectionResult(ResultKind.NotReproduced, null, [], Message: "the bad commit did not crash");
        }
        for (var step = 0; step < MaxSteps; step++)
        {
            switch (strategy.Next())
            {
                case Finished finished:
                    return finished.Result;
                case TestCommit test:
                    strategy.Record(tester.Test(test.Commit, test.Runs));
                    break;
                default:
                    throw new InvalidOperationException("unknown bisection step");
            }
        }
        return new BisectionResult(ResultKind.Error, null, [], Message: $"no answer after {MaxSteps} tests");
    }

    private static bool Crashes(CommitOutcome outcome) => AnyCrashPolicy.Instance.Judge(outcome) == Verdict.Bad;

    /// <summary>The range from the bad commit down to <paramref name="good"/>: the commits that are not its ancestors.</summary>
    private static CommitGraph Below(CommitGraph graph, string good)
    {
        if (!graph.Contains(good))
        {
            return graph;
        }
        var excluded = graph.AncestorsOf(good);
        return new CommitGraph(graph.Commits.Where(c => !excluded.Contains(c)).Select(c => (c, graph.ParentsOf(c))));
    }
}
