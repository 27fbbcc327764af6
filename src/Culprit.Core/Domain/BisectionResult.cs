namespace Culprit.Core.Domain;

/// <summary>How a job ended, as written to the JSON result.</summary>
public enum ResultKind
{
    Found,
    Inconclusive,
    NoGoodCommit,
    NotReproduced,
    /// <summary>The commit given or found as good crashes too (seen when verifying): the culprit is not in the range.</summary>
    GoodCommitCrashes,
    Error,
}

public static class ResultKindNames
{
    public static string ToWire(this ResultKind kind) => kind switch
    {
        ResultKind.Found => "found",
        ResultKind.Inconclusive => "inconclusive",
        ResultKind.NoGoodCommit => "no-good-commit",
        ResultKind.NotReproduced => "not-reproduced",
        ResultKind.GoodCommitCrashes => "good-commit-crashes",
        _ => "error",
    };
}

/// <summary>
/// The answer of a strategy. <paramref name="Candidates"/> holds the commits that may still be the
/// culprit when the answer is inconclusive; <paramref name="Probabilities"/> their probability when
/// the strategy keeps one. <paramref name="BugTitles"/> are the crash titles the strategy holds to be
/// the bug, likeliest first (null when it counts every crash alike): the result's crash title and
/// report are taken from a run with one of them, not from an unrelated crash.
/// </summary>
public sealed record BisectionResult(
    ResultKind Kind,
    string? Culprit,
    IReadOnlyList<string> Candidates,
    double? Confidence = null,
    IReadOnlyDictionary<string, double>? Probabilities = null,
    string? Message = null,
    IReadOnlyList<string>? BugTitles = null)
{
    /// <summary>
    /// An inconclusive result whose candidates only broken (skipped) builds separate: one of them brought the bug in,
    /// which reverting them all on the crashing commit can check.
    /// </summary>
    public bool OnlyBrokenBuildsBetween { get; init; }

    public static BisectionResult Found(string culprit, double? confidence = null) =>
        new(ResultKind.Found, culprit, [culprit], confidence);

    public static BisectionResult Inconclusive(IReadOnlyList<string> candidates, IReadOnlyDictionary<string, double>? probabilities = null, string? message = null) =>
        new(ResultKind.Inconclusive, null, candidates, null, probabilities, message);
}
