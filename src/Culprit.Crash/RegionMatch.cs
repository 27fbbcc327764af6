using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Culprit.Crash;

/// <summary>
/// Regex matches in the tail of a string, <c>text[regionStart..]</c>, found exactly as in that
/// substring but with positions in the whole string. A report string holds its context lines
/// before the report text; reading the text in place spares a copy of every report.
/// </summary>
internal static class RegionMatch
{
    /// <summary>
    /// Like <c>regex.Match(text[regionStart..], startat - regionStart)</c>. From the region start
    /// the bounded overload sees exactly the substring. From a later position the plain overload
    /// differs from the substring only in what a lookbehind sees before the region (anchors and
    /// word boundaries there look at characters inside it), so lookbehinds are refused.
    /// </summary>
    public static Match From(Regex regex, string text, int regionStart, int startat)
    {
        if (startat == regionStart)
        {
            return regex.Match(text, regionStart, text.Length - regionStart);
        }
        if (LooksBehind(regex.ToString()))
        {
            throw new ArgumentException($"a regex matched inside a region must not look behind: {regex}", nameof(regex));
        }
        return regex.Match(text, startat);
    }

    /// <summary>Whether a pattern holds a lookbehind.</summary>
    public static bool LooksBehind(string pattern) => Checked.GetOrAdd(pattern, static p =>
        p.Contains("(?<=", StringComparison.Ordinal) || p.Contains("(?<!", StringComparison.Ordinal));

    private static readonly ConcurrentDictionary<string, bool> Checked = new(StringComparer.Ordinal);
}
