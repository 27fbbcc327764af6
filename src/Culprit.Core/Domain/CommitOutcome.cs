namespace Culprit.Core.Domain;

/// <summary>
/// Everything learnt by testing one commit once: the build, its signature and each run.
/// A verdict is derived from it by a policy; the outcome itself is what gets stored.
/// <paramref name="BuildReused"/>: the runs used an earlier build of the same commit (no build was made).
/// <paramref name="BuildAvoided"/>: not built at all: its diff from <paramref name="ReusedFrom"/> touches
/// none of that build's inputs, so it has that commit's kernel and outcome (build avoidance).
/// <paramref name="BuiltAhead"/>: its build was made speculatively, while another commit was tested.
/// <paramref name="Artifact"/>: where the tester kept the build (a kernel image), so a resumed job can run on it again.
/// </summary>
public sealed record CommitOutcome(
    string Commit,
    bool Built,
    IReadOnlyList<RunOutcome> Runs,
    string? BuildError = null,
    string? Compiler = null,
    string? Signature = null,
    double BuildSeconds = 0,
    double TestSeconds = 0,
    string? ReusedFrom = null,
    bool BuildReused = false,
    bool BuildAvoided = false,
    bool BuiltAhead = false,
    string? Artifact = null)
{
    public static CommitOutcome BuildFailed(string commit, string error, double buildSeconds = 0, string? compiler = null) =>
        new(commit, false, [], error, compiler, null, buildSeconds);

    public int Crashes => Runs.Count(r => r.Result is RunResult.Crashed or RunResult.TimedOut);
    public int Oks => Runs.Count(r => r.Result == RunResult.Ok);
    public int InfraErrors => Runs.Count(r => r.Result == RunResult.InfraError);

    /// <summary>
    /// Built, but every run was an infra error of the test machine (QEMU could not start, the test
    /// said 125): the commit could not be tested at all, which is not the same as "no crash".
    /// </summary>
    public bool Untestable => Built && Runs.Count > 0 && Runs.All(r => r.Result == RunResult.InfraError && !r.CommitFault);

    /// <summary>
    /// Built, but no run got as far as showing anything: every run an infra error, some or all of them
    /// the commit's own (a kernel that panics before init). Such a commit is skipped, like one that
    /// does not build; when every error is the machine's it is <see cref="Untestable"/> instead.
    /// </summary>
    public bool OnlyInfraErrors => Built && Runs.Count > 0 && Runs.All(r => r.Result == RunResult.InfraError);

    /// <summary>
    /// Whether a run showed one of <paramref name="titles"/> (a test's settling titles, see
    /// <c>TestCommit.SettlingTitles</c>): such an outcome says all its test was asked for, however few
    /// runs it holds, so it stands for a test of as many runs as any (build avoidance, signature reuse).
    /// </summary>
    public bool SettledBy(IReadOnlyList<string>? titles) => titles is { Count: > 0 } && Runs.Any(r => r.ShowsAnyOf(titles));

    /// <summary>The title of the first crashed run, if any.</summary>
    public string? FirstCrashTitle => Runs.FirstOrDefault(r => r.Result is RunResult.Crashed or RunResult.TimedOut)?.Title;
}
