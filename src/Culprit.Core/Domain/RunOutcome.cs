namespace Culprit.Core.Domain;

/// <summary>What one run of the test (or reproducer) showed.</summary>
public enum RunResult
{
    /// <summary>The run finished and showed no crash.</summary>
    Ok,
    /// <summary>The run crashed; <see cref="RunOutcome.Title"/> names the crash.</summary>
    Crashed,
    /// <summary>The run says nothing about the commit (VM did not boot, lost console, exit 125).</summary>
    InfraError,
    /// <summary>The run did not finish within its timeout.</summary>
    TimedOut,
}

/// <summary>
/// One run of a test on a built commit. <paramref name="Title"/> is the crash title when crashed,
/// <paramref name="Detail"/> the reason of an infra error or the crash report.
/// </summary>
public sealed record RunOutcome(
    RunResult Result,
    string? Title = null,
    string? Detail = null,
    IReadOnlyList<string>? AltTitles = null,
    double Seconds = 0)
{
    /// <summary>
    /// For an infra error: the tested commit itself caused it (its kernel crashed, hung or reset before
    /// init, or ended the VM). It says nothing about the bug either, but another try on a mended
    /// machine would see the same, so such runs never make a commit <see cref="CommitOutcome.Untestable"/>.
    /// </summary>
    public bool CommitFault { get; init; }

    public static RunOutcome Ok(double seconds = 0) => new(RunResult.Ok, Seconds: seconds);
    public static RunOutcome Crash(string title, string? report = null, IReadOnlyList<string>? altTitles = null, double seconds = 0) =>
        new(RunResult.Crashed, title, report, altTitles, seconds);
    public static RunOutcome Infra(string reason, double seconds = 0) => new(RunResult.InfraError, Detail: reason, Seconds: seconds);
    public static RunOutcome Timeout(string reason, double seconds = 0) => new(RunResult.TimedOut, Title: reason, Seconds: seconds);

    public bool IsCrash => Result is RunResult.Crashed or RunResult.TimedOut;

    /// <summary>Whether this run crashed with one of <paramref name="titles"/> as its title or an alt title.</summary>
    public bool ShowsAnyOf(IEnumerable<string> titles) =>
        IsCrash && titles.Any(t => t == Title || (AltTitles?.Contains(t) ?? false));

    /// <summary>The short text the log shows for this run: <c>OK</c>, <c>crashed: TITLE</c>, <c>boot failed: …</c>.</summary>
    public string Describe() => Result switch
    {
        RunResult.Ok => "OK",
        RunResult.Crashed => $"crashed: {Title}",
        RunResult.TimedOut => $"timed out: {Title}",
        _ => Detail ?? "infra error",
    };
}
