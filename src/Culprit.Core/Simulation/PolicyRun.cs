using Culprit.Core.Domain;

namespace Culprit.Core.Simulation;

/// <summary>
/// How one policy did on one scenario: its result, whether it was right, the runs and builds it
/// spent and their price (and by phase of the job), and whether it named the world's decoy (see <see cref="WorldFacts.Decoy"/>).
/// </summary>
public sealed record PolicyRun(string Policy, BisectionResult Result, bool Right, int Runs, int Builds, double CostMinutes = 0, bool NamedDecoy = false, int Rounds = 0,
    double BuildMinutes = 0, IReadOnlyList<PhaseCost>? ByPhase = null)
{
    /// <summary>Stated at least 95 % sure (a found answer without a stated confidence is stated as certain) and wrong.</summary>
    public bool ConfidentWrong => !Right && Result.Kind == ResultKind.Found && (Result.Confidence ?? 1.0) >= 0.95;
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
