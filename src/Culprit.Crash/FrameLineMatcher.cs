using System.Buffers;
using System.Text.RegularExpressions;
using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>Cheap literal pre-checks in front of the per-line stack regexes (they run on every report line).</summary>
internal static class FrameLineMatcher
{
    private static readonly SearchValues<string> StackStartWords = SearchValues.Create(
        ["Call Trace", "Call trace", "Allocated", "Freed", "backtrace", "Backtrace:", "Uninit was stored"], StringComparison.Ordinal);

    public static bool IsStackStart(ReadOnlySpan<char> line) =>
        line.IndexOfAny(StackStartWords) >= 0 && Any(StackConventions.StackStarts, line);

    public static bool MayHoldStackStart(ReadOnlySpan<char> text) => text.IndexOfAny(StackStartWords) >= 0;

    public static bool IsCorruptedLine(ReadOnlySpan<char> line) =>
        line.Contains("should_fail", StringComparison.Ordinal) && Any(StackConventions.CorruptedLines, line);

    /// <summary>The captures of the first frame regex that matches, or null.</summary>
    public static Match? Frame(string text, int start, int length)
    {
        foreach (var re in StackConventions.FrameLines)
        {
            var m = re.Match(text, start, length);
            if (m.Success)
                return m;
        }
        return null;
    }

    public static bool IsFrame(ReadOnlySpan<char> line)
    {
        foreach (var re in StackConventions.FrameLines)
        {
            if (re.IsMatch(line))
                return true;
        }
        return false;
    }

    private static bool Any(Regex[] res, ReadOnlySpan<char> line)
    {
        foreach (var re in res)
        {
            if (re.IsMatch(line))
                return true;
        }
        return false;
    }
}
