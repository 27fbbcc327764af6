using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>The lines of one report, separated from the output of other tasks and CPUs.</summary>
/// <remarks>
/// The context lines and the report lines make one string, the report as returned: the text is
/// analysed in place, at <see cref="TextStart"/>, rather than copied out of it.
/// </remarks>
internal sealed record CollectedReport(
    string Report,   // up to 5 (50 with a task context) earlier lines of the same context, then the text
    int TextStart,   // where the report lines (printk prefixes removed) start in Report
    int TitleEnd,    // Report[TextStart..TitleEnd] is what the title is taken from
    int EndPos,      // end of the report's last line in the window
    int NextReport); // where the next independent report starts in the window, or -1

/// <summary>
/// Collects a report from its first line on (syzkaller's findReport). Unlike syzkaller, which
/// keeps every later line, the report ends shortly after the next independent report begins
/// (<see cref="MaxTrailingLines"/>), or when its task has been silent for long, so that the work
/// per report does not grow with the log.
/// </summary>
internal static class ReportCollector
{
    private const string LockDebugOff = "Disabling lock debugging due to kernel taint";
    private const string AllCpuBacktrace = "Sending NMI from CPU";
    private const string PanicLine = "Kernel panic - not syncing";
    private const string CircularLocking = "WARNING: possible circular locking dependency detected";

    public static readonly string[] MarkerLines = [LockDebugOff, AllCpuBacktrace, PanicLine, CircularLocking];

    /// <param name="text">The report window; <paramref name="start"/> is the report's first line.</param>
    /// <param name="offset">Log offset of the window, the key of <paramref name="lines"/>.</param>
    public static CollectedReport Collect(ReadOnlySpan<char> text, int start, OopsFamily family, LineCache lines, int offset)
    {
        int firstEnd = LineEnd(text, start);
        var oopsLine = text[start..firstEnd];
        string context = ConsoleLine.Context(oopsLine);
        var report = new ReportText();
        AppendPrefix(ref report, text, start, context);
        int textStart = report.Length;
        // Enough of a KMSAN report (it has no "Call Trace") to cut at a panic_on_warn panic.
        int minLines = oopsLine.Contains("BUG: KMSAN:", StringComparison.Ordinal) ? 16 : 22;
        bool realContext = context.Length > 0 && context != ConsoleLine.NoCaller;

        int contextKey = 0;
        int endPos = firstEnd, textLines = 0, nextReport = -1, silence = 0, titleEnd = textStart, trailing = -1;
        bool skipText = false, cpuTraceback = false;
        // Symbolized reports repeat the first line once per inlined frame: such a run of headers
        // right at the start is one report.
        bool headerRun = true;
        int lastOfKey = 0; // the last line looked at with the report's context key (LineCache.Entry.Seq)
        for (int pos = start; pos < text.Length;)
        {
            ref var info = ref lines.Line(text, offset, pos);
            int end = info.End - offset;
            var line = text[pos..end];
            bool isOopsLine = pos == start;
            var lineContext = info.Context;
            if (isOopsLine)
                contextKey = info.ContextKey;
            if (info.ContextKey == contextKey)
            {
                lastOfKey = info.Seq;
            }
            else if (nextReport >= 0 && !cpuTraceback && TrailingSkip(lines, lastOfKey, info.Seq, offset, text.Length) is var (skipped, next))
            {
                // Once the next report has started, lines of other contexts only count towards the
                // limits below: go straight to the next line of this context when it is known.
                if ((trailing >= 0 && trailing < skipped) || silence + skipped > MaxSilentLines)
                {
                    break;
                }
                if (trailing >= 0)
                {
                    trailing -= skipped;
                }
                silence += skipped;
                pos = next;
                continue;
            }
            bool ownContext = info.ContextKey == contextKey && lineContext.Is(line, context);
            bool sameContext = ownContext || (cpuTraceback && lineContext.IsCpu(line));
            bool notable = info.Notable;
            if (!isOopsLine && notable && nextReport < 0 && StartsAnotherReport(ref info, line) &&
                !(headerRun && ownContext && info.Family(line) == family))
            {
                // The next report starts. Keep a few more lines: the stack or the "Call Trace"
                // that belongs to this report is sometimes printed after the other header.
                nextReport = pos;
                trailing = MaxTrailingLines;
            }
            pos = end + 1;
            if (trailing >= 0 && trailing-- == 0)
                break;
            if (!isOopsLine && !sameContext)
            {
                if (++silence > MaxSilentLines)
                    break;
                continue;
            }
            var (s, len, questionable) = info.Strip(line);
            if (!isOopsLine && questionable)
            {
                // A task that printed nothing for this long is done with its report.
                if (++silence > MaxSilentLines)
                    break;
                continue;
            }
            textLines++;
            bool skipLine = skipText;
            if (notable)
            {
                if (line.Contains(LockDebugOff, StringComparison.Ordinal))
                {
                    skipLine = true;
                }
                else if (line.Contains(AllCpuBacktrace, StringComparison.Ordinal))
                {
                    // All-CPU backtraces come from other CPU contexts but belong to the report.
                    cpuTraceback = true;
                }
                else if ((line.Contains(PanicLine, StringComparison.Ordinal) || line.Contains(CircularLocking, StringComparison.Ordinal))
                    && textLines > minLines)
                {
                    // With panic_on_warn the panic repeats the stack already shown, and an oops
                    // often provokes a lockdep report of its own: drop the rest once the report
                    // itself is long enough.
                    skipText = true;
                    skipLine = true;
                }
            }
            if (!isOopsLine && skipLine)
            {
                if (++silence > MaxSilentLines)
                    break;
                continue;
            }
            silence = 0;
            report.AppendLine(line.Slice(s, len));
            endPos = end;
            // Without caller contexts the title must come from before the next report.
            if (nextReport < 0 || realContext)
                titleEnd = report.Length;
            if (!isOopsLine && !(notable && info.Family(line) == family))
                headerRun = false;
        }
        return new CollectedReport(report.ToString(), textStart, titleEnd, endPos, nextReport);
    }

    /// <summary>
    /// When the line after <paramref name="lastOfKey"/> with the same context key is known and in
    /// the window: how many lines from <paramref name="seq"/> (a line of another key) lead to it,
    /// and where it starts in the window.
    /// </summary>
    private static (int Lines, int Start)? TrailingSkip(LineCache lines, int lastOfKey, int seq, int offset, int windowLength)
    {
        int next = lines.NextSameKey(lastOfKey);
        if (next <= seq || !lines.TryGetLine(next, out int start, out int end) || end - offset > windowLength)
        {
            return null;
        }
        return (next - seq, start - offset);
    }

    /// <summary>Lines looked at after the next report has started.</summary>
    public const int MaxTrailingLines = 300;

    /// <summary>Lines in a row that do not belong to the report after which it is taken as finished.</summary>
    public const int MaxSilentLines = 300;

    /// <summary>A new report (or a stack-printing message) that is not part of the current one.</summary>
    private static bool StartsAnotherReport(ref LineCache.Entry info, ReadOnlySpan<char> line) =>
        ContainsAny(line, LinuxCrashFormats.InfoMessagesWithStack) ||
        (info.Family(line) != null && !ContainsAny(line, LinuxCrashFormats.ReportStartIgnores));

    /// <summary>Appends the earlier lines of the report's context, printk prefixes removed.</summary>
    private static void AppendPrefix(ref ReportText report, ReadOnlySpan<char> text, int start, string context)
    {
        int max = ConsoleLine.IsTaskContext(context) ? 50 : 5;
        // Found last to first: where each line's text is in the window.
        var lines = new List<(int Start, int Length)>();
        int end = start - 1; // the '\n' before the report
        for (int looked = 0; end >= 0 && lines.Count < max && looked < MaxSilentLines; looked++)
        {
            int lineStart = text[..end].LastIndexOf('\n') + 1;
            var line = text[lineStart..end];
            var lineContext = ConsoleLine.Find(line);
            if (lineContext.Is(line, context))
            {
                var (s, len, questionable) = ConsoleLine.Strip(line, lineContext);
                if (len > 0 && !questionable)
                {
                    lines.Add((lineStart + s, len));
                }
            }
            end = lineStart - 1;
        }
        for (int i = lines.Count - 1; i >= 0; i--)
        {
            report.AppendLine(text.Slice(lines[i].Start, lines[i].Length));
        }
    }

    private static int LineEnd(ReadOnlySpan<char> text, int pos)
    {
        int nl = text[pos..].IndexOf('\n');
        return nl < 0 ? text.Length : pos + nl;
    }

    private static bool ContainsAny(ReadOnlySpan<char> line, string[] needles)
    {
        foreach (var n in needles)
        {
            if (line.Contains(n, StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
