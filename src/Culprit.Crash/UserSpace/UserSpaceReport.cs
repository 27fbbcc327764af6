namespace Culprit.Crash.UserSpace;

/// <summary>
/// A user-space crash named with ClusterFuzz's fields. <paramref name="CrashType"/> may hold several
/// lines (<c>Heap-buffer-overflow\nREAD 4</c>); <paramref name="CrashState"/> has at most three lines,
/// top frame first (<c>["NULL"]</c> when no frame was usable). <paramref name="Report"/> is the
/// report's text from its first line, cut to <see cref="UserSpaceCrashParser.MaxReportChars"/>.
/// </summary>
public sealed record UserSpaceReport(
    string CrashType,
    IReadOnlyList<string> CrashState,
    string CrashAddress,
    bool Security,
    string Report)
{
    /// <summary>The one-line name Culprit logs (see <see cref="UserSpaceTitle"/>).</summary>
    public string Title => UserSpaceTitle.Of(CrashType, CrashState);

    /// <summary>Type and full state on one line: runs with the same one are the same crash for the flaky strategy.</summary>
    public string AltTitle => UserSpaceTitle.Signature(CrashType, CrashState);
}
