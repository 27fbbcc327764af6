using Culprit.Core.Domain;

namespace Culprit.Jobs;

/// <summary>The result of a job as written by <c>--json</c> and <c>culprit show --json</c>.</summary>
public sealed record JobResult
{
    public required string Job { get; init; }
    public required string Result { get; init; }
    public string Direction { get; init; } = "cause";
    public string Strategy { get; init; } = "classic";
    public string? Bad { get; init; }
    public string? Good { get; init; }
    public CulpritInfo? Culprit { get; init; }
    public IReadOnlyList<string> Candidates { get; init; } = [];
    public IReadOnlyDictionary<string, double>? Probabilities { get; init; }
    public double? Confidence { get; init; }
    public double? ReproChance { get; init; }
    public string? CrashTitle { get; init; }
    public string? Report { get; init; }
    public string? Signature { get; init; }
    public string? ParentSignature { get; init; }

    /// <summary>Kernel mode: the culprit's kernel is the same binary as its parent's (as syzbot flags it); null when unknown.</summary>
    public bool? NoopChange { get; init; }
    public IReadOnlyList<string> Cc { get; init; } = [];
    public Verification? Verification { get; init; }
    public string? Message { get; init; }
    public IReadOnlyList<TestedCommit> Tested { get; init; } = [];
    public required JobStats Stats { get; init; }
}

public sealed record CulpritInfo(string Commit, string Subject, string Author, string? Date = null);

public sealed record TestedRun(string Result, string? Title, bool Unrelated = false, string? Detail = null);

public sealed record TestedCommit(
    string Commit,
    string Verdict,
    IReadOnlyList<TestedRun> Runs,
    double BuildSeconds,
    double TestSeconds,
    string? Signature = null,
    string? ReusedFrom = null,
    string? BuildError = null,
    string? Compiler = null,
    double? Probability = null,
    string? Phase = null,
    bool BuildAvoided = false);

/// <param name="BuildsAvoided">Commits not built because they cannot change the build (<see cref="BuildAvoidance"/>).</param>
/// <param name="BuildsReused">Tests run on a build held already instead of a new build: a retest on the commit's earlier build, or a commit whose build the machine kept (another job or worker built it there).</param>
/// <param name="SpeculativeBuilds">Builds made ahead by idle workers; <paramref name="SpeculativeBuildsUsed"/> of them were tested,
/// <paramref name="SpeculativeBuildsWasted"/> were not (those count in <paramref name="Builds"/> and the build time too).</param>
/// <param name="BuildsRepeated">Builds of a commit built before in the job (a retest whose build was not kept, command mode).</param>
/// <param name="CandidatesDropped">Commits taken out of the candidates untested because they build what their parent builds (<see cref="SameBuildCommits"/>).</param>
public sealed record JobStats(int RevisionsTested, int Builds, int Runs, double TotalSeconds, double BuildSeconds, double TestSeconds, int SignatureReuses = 0, int? Boots = null,
    int BuildsAvoided = 0, int BuildsReused = 0, int SpeculativeBuilds = 0, int SpeculativeBuildsUsed = 0, int SpeculativeBuildsWasted = 0,
    int CandidatesDropped = 0, int BuildsRepeated = 0);

/// <summary>What verifying a culprit showed.</summary>
public sealed record Verification(bool? ParentOk, string Revert, bool Doubtful, string? Reason)
{
    /// <summary>
    /// The crashing commit the revert was tested on when it did not apply on the bad commit (the newest
    /// commit found crashing where it applies); null: on the bad commit.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? RevertedOn { get; init; }

    /// <summary>
    /// The share of the commits between the culprit and the bad commit that come after <see cref="RevertedOn"/>:
    /// what the revert there leaves unchecked (not stored).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double UncheckedShare { get; init; }

    /// <summary>The revert's runs that were not infra errors (what a clean revert is worth; not stored).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int RevertRuns { get; init; }

    /// <summary>
    /// When the revert kept some of the bad commit's crashes and removed others (<see cref="Core.Flaky.RevertReading"/>):
    /// the chance the kept ones are the bad commit's most frequent crash, a doubt on the culprit (not stored).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double OtherBugDoubt { get; init; }

    /// <summary>The chance the revert's runs would miss the crashes it removed were they still there; null: the strategy's estimate (not stored).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double? RemovedMissChance { get; init; }

    /// <summary>A crash the bad commit never shows that the revert brought back, when that made the culprit doubtful (not stored).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Core.Flaky.RevertReading.Returning? BroughtBack { get; init; }
}

public static class RunResultNames
{
    public static string ToWire(this RunResult r) => r switch
    {
        RunResult.Ok => "ok",
        RunResult.Crashed => "crashed",
        RunResult.TimedOut => "timed-out",
        _ => "infra-error",
    };
}
