using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>
/// Finds Linux kernel crash reports in console output and names them the way syzkaller does.
/// Each report is analysed inside a window of the log (up to <see cref="KeepBehindChars"/> before
/// its first line and <see cref="LookaheadChars"/> after), which keeps the work linear in the log
/// and the memory of the streaming overloads independent of the log size.
/// </summary>
public static class LinuxCrashParser
{
    /// <summary>How much output before a report is kept for its context lines and suppressions.</summary>
    public const int KeepBehindChars = 64 * 1024;

    /// <summary>How much output after a report's first line belongs to its analysis.</summary>
    public const int LookaheadChars = 256 * 1024;

    // A line this long without a newline is scanned in pieces rather than waited for.
    private const int MaxLineChars = 1024 * 1024;

    /// <summary>The first crash in the log, or null when there is none.</summary>
    public static CrashReport? Parse(string consoleLog) => Reports(new ConsoleSource(consoleLog), separate: false).FirstOrDefault();

    /// <summary>The first crash, reading the log as a stream.</summary>
    public static CrashReport? Parse(TextReader consoleLog) => Reports(new ConsoleSource(consoleLog), separate: false).FirstOrDefault();

    /// <summary>
    /// Every crash in order. Report lines inside an earlier report (e.g. the panic that follows a
    /// WARNING) belong to that report and start none of their own.
    /// </summary>
    public static IReadOnlyList<CrashReport> ParseAll(string consoleLog) => Reports(new ConsoleSource(consoleLog), separate: true).ToList();

    /// <summary>Every crash, lazily, reading the log as a stream.</summary>
    public static IEnumerable<CrashReport> ParseAll(TextReader consoleLog) => Reports(new ConsoleSource(consoleLog), separate: true);

    public static bool ContainsCrash(string consoleLog) => FindNext(new ConsoleSource(consoleLog), 0) != null;

    public static bool ContainsCrash(TextReader consoleLog) => FindNext(new ConsoleSource(consoleLog), 0) != null;

    private static IEnumerable<CrashReport> Reports(ConsoleSource source, bool separate)
    {
        int from = 0;
        var markers = new LogMarkers();
        var lines = new LineCache();
        while (true)
        {
            var found = FindNext(source, from);
            if (found is not var (lineStart, lineEnd, family))
                yield break;
            source.Release(Math.Max(from, lineStart - KeepBehindChars - 1));
            while (!source.Complete && source.End < lineStart + LookaheadChars)
                source.ReadMore();
            int windowStart = WindowStart(source, from, lineStart);
            int windowEnd = Math.Min(source.End, lineStart + LookaheadChars);
            markers.Scan(source, windowStart, windowEnd);
            var window = source.Slice(windowStart, windowEnd);
            var (suppressed, hangup) = markers.In(window, windowStart);
            lines.Release(windowStart);
            var report = ReportBuilder.Build(window, lineStart - windowStart, windowStart, family, suppressed, hangup, lines);
            yield return report;
            // Go on at the next independent report: report lines inside this one (the panic after
            // a WARNING, say) belong to it.
            from = separate && report.NextReport > lineEnd ? report.NextReport : Math.Max(lineEnd, separate ? report.End : lineEnd);
        }
    }

    private static int WindowStart(ConsoleSource source, int from, int lineStart)
    {
        int start = lineStart - KeepBehindChars;
        if (start <= from)
            return from;
        // Begin on a line boundary.
        int nl = source.Slice(start - 1, lineStart).IndexOf('\n');
        return start + nl;
    }

    /// <summary>The next report line at or after <paramref name="from"/>, reading more of a stream as needed.</summary>
    private static (int LineStart, int LineEnd, OopsFamily Family)? FindNext(ConsoleSource source, int from)
    {
        int scan = from;
        while (true)
        {
            var span = source.Slice(scan, source.End);
            var hit = OopsLines.FindFirst(span, 0, source.Complete);
            if (hit is var (s, e, family))
                return (scan + s, scan + e, family);
            if (source.Complete)
                return null;
            // Go on from the last complete line, not after it: a report line there waits for the
            // next line to tell whether it is replayed (OopsLines.ReplayMarker).
            int lastNewline = span.LastIndexOf('\n');
            if (lastNewline >= 0)
                scan += span[..lastNewline].LastIndexOf('\n') + 1;
            else if (span.Length > MaxLineChars)
                scan += span.Length - 64; // keep an overlap for a header cut by the chunk boundary
            source.Release(Math.Max(from, scan - KeepBehindChars - 1));
            source.ReadMore();
        }
    }
}
