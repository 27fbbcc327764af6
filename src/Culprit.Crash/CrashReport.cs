namespace Culprit.Crash;

/// <summary>
/// The primary crash found in a console log, named the way syzkaller names it.
/// <paramref name="Start"/> and <paramref name="End"/> are character offsets of the report in the log.
/// </summary>
public sealed record CrashReport(
    string Title,
    IReadOnlyList<string> AltTitles,
    string Type,
    bool Corrupted,
    bool Suppressed,
    string? Frame,
    string? GuiltyFile,
    string Report,
    int Start,
    int End)
{
    /// <summary>Why <see cref="Corrupted"/> is set (null when it is not), for debugging titles.</summary>
    public string? CorruptedReason { get; init; }

    /// <summary>Where the next independent report starts in the log (-1 when none follows in the window).</summary>
    internal int NextReport { get; init; } = -1;
}
