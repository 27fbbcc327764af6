using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>Finds the lines that start a report. Uses one vectorised multi-string search for all headers.</summary>
internal static class OopsLines
{
    private static readonly string[] HeaderList = LinuxCrashFormats.Families.Select(f => f.Header).Distinct().ToArray();

    private static readonly LiteralSearch Headers = new(HeaderList);

    // For each family (in table order), the bit of its header in a line's set of headers.
    private static readonly ulong[] FamilyBits = HeaderList.Length <= 64
        ? LinuxCrashFormats.Families.Select(f => 1UL << Array.IndexOf(HeaderList, f.Header)).ToArray()
        : throw new InvalidOperationException("more than 64 report headers");

    /// <summary>Every literal that makes a report line need a closer look. None holds a newline.</summary>
    public static readonly LiteralSearch Notable = new(
        Minimal(LinuxCrashFormats.Families.Select(f => f.Header)
            .Concat(LinuxCrashFormats.InfoMessagesWithStack)
            .Concat(ReportCollector.MarkerLines)
            .Select(OnOneLine)
            .Distinct().ToArray()));

    /// <summary>
    /// The literals that hold none of the others: a line holds one of the whole list exactly when it
    /// holds one of these, and every literal less makes the multi-string search faster.
    /// </summary>
    private static string[] Minimal(string[] literals) =>
        literals.Where(l => !literals.Any(other => other != l && l.Contains(other, StringComparison.Ordinal))).ToArray();

    // Lines are classified by searches that run across many lines at once (LineCache).
    private static string OnOneLine(string literal) =>
        literal.Contains('\n') ? throw new InvalidOperationException($"a notable literal spans lines: {literal}") : literal;

    /// <summary>
    /// The console prints this when another message cut the previous one short, and prints the
    /// whole message again on the next line: the cut line ("INFO: t") starts no report.
    /// </summary>
    public const string ReplayMarker = "** replaying previous printk message **";

    // Whether the line ending at lineEnd is followed by the replay marker; null while that line is
    // still being read.
    private static bool? IsReplayed(ReadOnlySpan<char> text, int lineEnd, bool final)
    {
        if (lineEnd >= text.Length)
            return false;
        var next = text[(lineEnd + 1)..];
        int nl = next.IndexOf('\n');
        if (nl < 0 && !final)
            return null;
        var line = nl < 0 ? next : next[..nl];
        return line.Contains(ReplayMarker, StringComparison.Ordinal);
    }

    /// <summary>The first family (in table order) this line starts, or null.</summary>
    public static OopsFamily? Match(ReadOnlySpan<char> line)
    {
        // The headers the line holds, from the one vectorised search instead of a search per family.
        ulong present = 0;
        for (int pos = 0; pos < line.Length; pos++)
        {
            int hit = Headers.IndexOfAny(line[pos..]);
            if (hit < 0)
                break;
            pos += hit;
            var rest = line[pos..];
            for (int i = 0; i < HeaderList.Length; i++)
            {
                if (rest.StartsWith(HeaderList[i], StringComparison.Ordinal))
                    present |= 1UL << i;
            }
        }
        if (present == 0)
            return null;
        var families = LinuxCrashFormats.Families;
        for (int i = 0; i < families.Count; i++)
        {
            if ((present & FamilyBits[i]) != 0 && !families[i].IsSuppressed(line))
                return families[i];
        }
        return null;
    }

    /// <summary>
    /// The first report line that starts at or after <paramref name="from"/> and ends before
    /// <paramref name="end"/> (a line without its newline counts only when <paramref name="final"/>).
    /// </summary>
    public static (int LineStart, int LineEnd, OopsFamily Family)? FindFirst(ReadOnlySpan<char> text, int from, bool final)
    {
        int pos = from;
        while (pos < text.Length)
        {
            int hit = Headers.IndexOfAny(text[pos..]);
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
            {
                switch (IsReplayed(text, lineEnd, final))
                {
                    case null:
                        return null; // the next line is not complete yet
                    case false:
                        return (lineStart, lineEnd, family);
                }
            }
            pos = lineEnd + 1;
        }
        return null;
    }
}
