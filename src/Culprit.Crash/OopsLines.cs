using System.Buffers;
using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>Finds the lines that start a report. Uses one vectorised multi-string search for all headers.</summary>
internal static class OopsLines
{
    private static readonly SearchValues<string> Headers = SearchValues.Create(
        LinuxCrashFormats.Families.Select(f => f.Header).Distinct().ToArray(), StringComparison.Ordinal);

    /// <summary>Every literal that makes a report line need a closer look.</summary>
    private static readonly SearchValues<string> Notable = SearchValues.Create(
        LinuxCrashFormats.Families.Select(f => f.Header)
            .Concat(LinuxCrashFormats.InfoMessagesWithStack)
            .Concat(ReportCollector.MarkerLines)
            .Distinct().ToArray(), StringComparison.Ordinal);

    /// <summary>The first family (in table order) this line starts, or null.</summary>
    public static OopsFamily? Match(ReadOnlySpan<char> line)
    {
        if (line.IndexOfAny(Headers) < 0)
            return null;
        foreach (var family in LinuxCrashFormats.Families)
        {
            if (family.Matches(line))
                return family;
        }
        return null;
    }

    public static bool IsNotable(ReadOnlySpan<char> line) => line.IndexOfAny(Notable) >= 0;

    /// <summary>
    /// The first report line that starts at or after <paramref name="from"/> and ends before
    /// <paramref name="end"/> (a line without its newline counts only when <paramref name="final"/>).
    /// </summary>
    public static (int LineStart, int LineEnd, OopsFamily Family)? FindFirst(ReadOnlySpan<char> text, int from, bool final)
    {
        int pos = from;
        while (pos < text.Length)
        {
            int hit = text[pos..].IndexOfAny(Headers);
            if (hit < 0)
                return null;
            hit += pos;
            int lineStart = hit == 0 ? 0 : text[..hit].LastIndexOf('\n') + 1;
            if (lineStart < from)
                lineStart = from;
            int nl = text[hit..].IndexOf('\n');
            if (nl < 0 && !final)
                return null; // the line is not complete yet
            int lineEnd = nl < 0 ? text.Length : hit + nl;
            var family = Match(text[lineStart..lineEnd]);
            if (family != null)
                return (lineStart, lineEnd, family);
            pos = lineEnd + 1;
        }
        return null;
    }
}
