using Culprit.Core.Domain;
using Culprit.Core.Simulation.Policies;
using Culprit.Core.Strategies;

namespace Culprit.Core.Simulation;

/// <summary>How one policy did on one scenario.</summary>
public sealed record PolicyRun(string Policy, BisectionResult Result, bool Right, int Runs, int Builds);

/// <summary>Drives one strategy through one scenario through the same seam a real job uses.</summary>
public static class PolicyRunner
{
    /// <summary>A strategy that has not finished after this many tests is stopped and scored wrong.</summary>
    private const int MaxSteps = 2000;

    public static PolicyRun Run(Scenario scenario, SimulatedPolicy policy)
    {
        var tester = new SimulatedTester(scenario);
        var strategy = policy.Create(scenario.Graph);
        var result = Drive(scenario, policy, strategy, tester);
        return new PolicyRun(policy.Name, result, Scoring.IsRight(scenario, result), tester.Runs, tester.Builds);
    }

    private static BisectionResult Drive(Scenario scenario, SimulatedPolicy policy, IBisectionStrategy strategy, SimulatedTester tester)
    {
        var bad = scenario.Graph.Commits[0];
        var first = strategy.Record(tester.Test(bad, policy.FirstRuns));
        if (policy.NeedsBadFirstCommit && first.Verdict != Verdict.Bad)
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
}

/// <summary>
/// A result is right when it names the true culprit; when broken builds right before the culprit
/// make it impossible to tell apart, only <c>inconclusive</c> with exactly those commits and the
/// culprit is right.
/// </summary>
public static class Scoring
{
    public static bool IsRight(Scenario scenario, BisectionResult result)
    {
        if (!scenario.Ambiguous)
        {
            return result.Kind == ResultKind.Found && result.Culprit == scenario.CulpritCommit;
        }
        return result.Kind == ResultKind.Inconclusive
            && result.Candidates.ToHashSet(StringComparer.Ordinal).SetEquals(scenario.RightCandidates);
    }
}
