using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>Decides whether a report with a good title is still truncated or mixed with other output.</summary>
internal static class CorruptionCheck
{
    /// <summary>Why the report text <c>report[start..]</c> is corrupted, or null.</summary>
    public static string? Reason(string title, string report, int start, CrashFormat? format)
    {
        if (LinuxCrashFormats.CorruptedTitle.IsMatch(title))
            return "title matches corrupted regexp";
        // A report that matched no format is kept as it is.
        if (format is null || format.NoStackTrace)
            return null;
        // Every "Call Trace", "backtrace", "Allocated" or "Freed" must be followed by a frame.
        bool hasStackTrace = false;
        var firstWords = FirstStackStartWords(report, start);
        var starts = StackConventions.StackStarts;
        for (int i = 0; i < starts.Length; i++)
        {
            // No match can begin before the first of the words it holds.
            var (words, lead) = StackConventions.StackStartWords[i];
            int first = int.MaxValue;
            foreach (var word in words)
            {
                if (firstWords.TryGetValue(word, out int at))
                {
                    first = Math.Min(first, at);
                }
            }
            if (first == int.MaxValue)
            {
                continue;
            }
            var m = RegionMatch.From(starts[i], report, start, Math.Max(start, first - lead));
            if (!m.Success)
                continue;
            // The trace line itself, then up to 15 lines that must show a frame.
            int pos = TextLines.End(report, m.Index) + 1;
            bool corrupted = true;
            int looked = 0;
            for (; looked < 15 && pos <= report.Length; looked++)
            {
                int end = TextLines.End(report, pos);
                var line = report.AsSpan(pos, end - pos);
                pos = end + 1;
                if (FrameLineMatcher.IsStackStart(line))
                    break; // the next trace starts before any frame of this one
                if (line.Contains("(stack is not available)", StringComparison.Ordinal) || FrameLineMatcher.IsFrame(line))
                {
                    hasStackTrace = true;
                    corrupted = false;
                    break;
                }
            }
            if (CountLines(report, m.Index) < 4)
                return "call trace is missed";
            if (corrupted)
                return "no frames in a stack trace";
        }
        return hasStackTrace ? null : "no stack trace in report";
    }

    /// <summary>Where each stack start word first occurs in the report (one search for all of them).</summary>
    private static Dictionary<string, int> FirstStackStartWords(string report, int start)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int pos = start; pos < report.Length;)
        {
            int hit = FrameLineMatcher.StackStartWords.IndexOfAny(report.AsSpan(pos));
            if (hit < 0)
            {
                break;
            }
            pos += hit;
            foreach (var (words, _) in StackConventions.StackStartWords)
            {
                foreach (var word in words)
                {
                    if (report.AsSpan(pos).StartsWith(word, StringComparison.Ordinal))
                    {
                        first.TryAdd(word, pos);
                    }
                }
            }
            pos++;
        }
        return first;
    }

    /// <summary>Lines from <paramref name="start"/> to the end, counting up to 4 (as a split would).</summary>
    private static int CountLines(string text, int start)
    {
        int count = 1;
        for (int i = text.IndexOf('\n', start); i >= 0 && count < 4; i = text.IndexOf('\n', i + 1))
            count++;
        return count;
    }
}
