using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Culprit.Crash;

/// <summary>
/// The first line, from a line start on, that a stack rule's regex matches, unless a fault
/// injection line comes first. Matching line by line costs a regex call per line; for a regex that
/// can neither match a newline nor look beyond its match, one search over the lines finds the same
/// line (its leftmost match lies inside one line, and no earlier line has a match, which would be
/// a match of the search too), and the line is then matched on its own for the very same captures.
/// </summary>
internal static class LinePartSearch
{
    /// <summary>
    /// The match and the position after its line; Match null when there is none. Lines are those of
    /// a walk from <paramref name="next"/>, which may be mid-line (a title match): its first line starts there.
    /// </summary>
    public static (Match? Match, int Next, bool FaultInjection) Find(Regex part, string text, int next, ref ForwardSearch faultInjection)
    {
        // The search stops at the first fault injection line.
        int regionEnd = text.Length, faultLineEnd = -1;
        for (int hit = faultInjection.Next(next); hit < text.Length;)
        {
            int lineStart = LineStart(text, hit, next);
            int lineEnd = TextLines.End(text, hit);
            if (FrameLineMatcher.MatchesCorruptedLine(text.AsSpan(lineStart, lineEnd - lineStart)))
            {
                regionEnd = lineStart;
                faultLineEnd = lineEnd;
                break;
            }
            hit = lineEnd + 1 >= text.Length ? int.MaxValue : faultInjection.Next(lineEnd + 1);
        }
        if (StaysInItsLine(part))
        {
            var found = part.Match(text, next, regionEnd - next);
            if (found.Success)
            {
                int lineStart = LineStart(text, found.Index, next);
                int lineEnd = TextLines.End(text, lineStart);
                var m = part.Match(text, lineStart, lineEnd - lineStart);
                if (m.Success)
                {
                    return (m, lineEnd + 1, false);
                }
                // Not expected (see above); the line-by-line walk below is the reference.
            }
            else
            {
                return faultLineEnd >= 0 ? (null, faultLineEnd + 1, true) : (null, text.Length + 1, false);
            }
        }
        return LineByLine(part, text, next, regionEnd, faultLineEnd);
    }

    /// <summary>
    /// Start of the line holding <paramref name="pos"/>; the walk may begin mid-line at
    /// <paramref name="from"/>, and then its first line starts there.
    /// </summary>
    private static int LineStart(string text, int pos, int from) =>
        pos <= from ? from : Math.Max(from, text.LastIndexOf('\n', pos - 1) + 1);

    private static (Match?, int, bool) LineByLine(Regex part, string text, int next, int regionEnd, int faultLineEnd)
    {
        while (next <= text.Length && (faultLineEnd < 0 || next < regionEnd))
        {
            int lineStart = next, lineEnd = TextLines.End(text, next);
            next = lineEnd + 1;
            var m = part.Match(text, lineStart, lineEnd - lineStart);
            if (m.Success)
            {
                return (m, next, false);
            }
        }
        return faultLineEnd >= 0 ? (null, faultLineEnd + 1, true) : (null, next, false);
    }

    private static readonly ConcurrentDictionary<Regex, bool> Eligible = new();

    /// <summary>
    /// Whether the regex can only match inside one line and only looks at what it matches: no
    /// anchors, lookarounds or word boundaries, no construct that may match a newline, no options.
    /// Conservative: escapes other than of punctuation, \d and \w disqualify it.
    /// </summary>
    private static bool StaysInItsLine(Regex part) => Eligible.GetOrAdd(part, static re =>
    {
        if ((re.Options & ~(RegexOptions.Compiled | RegexOptions.CultureInvariant)) != 0)
        {
            return false;
        }
        string pattern = re.ToString();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length || !@".-()[]+*?{}|/:\ dw<>".Contains(pattern[i + 1]))
                {
                    return false;
                }
                i++;
            }
            else if (c is '^' or '$' || c < ' ' || (c == '(' && i + 1 < pattern.Length && pattern[i + 1] == '?' && !pattern.AsSpan(i).StartsWith("(?:")))
            {
                return false;
            }
        }
        return true;
    });
}
