using System.Text;

namespace Culprit.Crash.UserSpace;

/// <summary>
/// Finds the crash in a user-space program's output and names it the way ClusterFuzz does (crash type,
/// state, address, security flag). Like ClusterFuzz, the whole output is one analysis: later crash lines
/// of a kind that resets replace earlier ones, frames after the crash line fill the state.
/// Reading is one pass over lines. Facts ClusterFuzz takes from the whole log (Go, Python or
/// Jazzer.js output; security markers) are read from all of a string, and from the next
/// <see cref="LookaheadChars"/> of a stream, so memory stays flat in the log's size.
/// </summary>
public static class UserSpaceCrashParser
{
    public const int LookaheadChars = 256 * 1024;
    public const int MaxReportChars = 64 * 1024;

    // Python tracebacks are read innermost call first; the last lines before the sanitizer's report are kept.
    private const int MaxPythonTraceLines = 2000;

    public static UserSpaceReport? Parse(string output, UserSpaceOptions? options = null)
    {
        output = CentipedeLines.Text(output);
        var flags = new LogFlags();
        flags.Observe(output);
        return Run(new StringReader(output), flags, observeLines: false, options ?? UserSpaceOptions.Default);
    }

    public static UserSpaceReport? Parse(TextReader output, UserSpaceOptions? options = null) =>
        Run(output, new LogFlags(), observeLines: true, options ?? UserSpaceOptions.Default);

    /// <summary>True when the output holds a report this parser names.</summary>
    public static bool ContainsCrash(string output, UserSpaceOptions? options = null) => Parse(output, options) != null;

    private static UserSpaceReport? Run(TextReader input, LogFlags flags, bool observeLines, UserSpaceOptions options)
    {
        var reader = new LineReader(input, observeLines ? 64 * 1024 : 4096);
        var rules = new LineRules(options, flags, pythonMode: false);
        var python = new PythonTrace(MaxPythonTraceLines);
        var report = new StringBuilder();
        var ahead = new Queue<(string Line, UInt128 Found)>();
        long aheadChars = 0;
        bool ended = false;
        while (true)
        {
            while (observeLines && !ended && aheadChars < LookaheadChars)
            {
                // Two lines at a time: the word scanner runs both at once.
                string? first = reader.ReadLine();
                string? second = first is null ? null : reader.ReadLine();
                if (first is null)
                {
                    ended = true;
                    break;
                }
                var (foundFirst, foundSecond) = second is null
                    ? (LineWords.Scanner.Scan(first), UInt128.Zero)
                    : LineWords.Scanner.Scan(first, second);
                flags.Observe(first, foundFirst);
                ahead.Enqueue((first, foundFirst));
                aheadChars += first.Length + 1;
                if (second is null)
                {
                    ended = true;
                    break;
                }
                flags.Observe(second, foundSecond);
                ahead.Enqueue((second, foundSecond));
                aheadChars += second.Length + 1;
            }
            string? line;
            UInt128? scanned = null;
            if (observeLines)
            {
                if (!ahead.TryDequeue(out var next))
                    break;
                (line, scanned) = next;
                aheadChars -= line.Length + 1;
            }
            else if ((line = reader.ReadLine()) is null)
            {
                break;
            }
            if ((scanned is not { } words || (words & LineWords.DeadlySignal) != 0) && DeadlySignalSplit(line) is int split)
            {
                Feed(line[..split], null, rules, python, report);
                line = line[split..];
                scanned = null;
            }
            Feed(line, scanned, rules, python, report);
        }
        if (flags.IsPython)
        {
            rules = new LineRules(options, flags, pythonMode: true);
            foreach (var line in python.Lines())
                rules.Apply(line);
        }
        if (rules.BailedOut)
            return null;
        var st = rules.State;
        StateNormalizer.Finish(st, options);
        if (st.CrashType.Length == 0)
            return null;
        var state = StateNormalizer.Lines(st.CrashState);
        bool security = SecurityVerdict.IsSecurity(st.CrashType, st.CrashAddress, flags, options);
        return new UserSpaceReport(st.CrashType, state, st.CrashAddress, security, report.ToString());
    }

    private static void AppendReport(StringBuilder report, string line)
    {
        if (report.Length + line.Length + 1 <= MaxReportChars)
            report.Append(line).Append('\n');
    }

    private static void Feed(string line, UInt128? found, LineRules rules, PythonTrace python, StringBuilder report)
    {
        python.Add(line);
        bool before = rules.State.CrashType.Length > 0;
        if (found is { } words)
            rules.Apply(line, words);
        else
            rules.Apply(line);
        if (before || rules.State.CrashType.Length > 0)
            AppendReport(report, line);
    }

    /// <summary>
    /// Where a sanitizer's <c>...Sanitizer:DEADLYSIGNAL</c> printed onto the end of another line starts,
    /// so the line it was glued to is read on its own (null when the line is not such a pair).
    /// </summary>
    private static int? DeadlySignalSplit(string line)
    {
        const string Marker = "Sanitizer:DEADLYSIGNAL";
        if (!line.EndsWith(Marker, StringComparison.Ordinal))
            return null;
        foreach (var tool in (string[])["Address", "Leak", "Memory", "UndefinedBehavior", "Thread"])
        {
            int start = line.Length - Marker.Length - tool.Length;
            if (start > 0 && line.AsSpan(start).StartsWith(tool) && !string.IsNullOrWhiteSpace(line[..start]))
                return start;
        }
        return null;
    }
}
