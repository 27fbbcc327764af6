using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>
/// Removes what changes from run to run (pids, addresses, line numbers, offsets, CPU numbers,
/// other numbers) so that the same bug always gets the same title.
/// </summary>
internal static class TitleNormalizer
{
    private const int MaxTitleBytes = 120; // interleaved lines can be very long

    // Normalisation only shortens a title by a bounded factor, so this much raw title is enough
    // for 120 bytes of result; it also bounds the work of the (backtracking) replacements below.
    private const int MaxRawTitle = 1024;

    // Titles are short and the patterns simple, so the backtracking engine is both safe and,
    // for many small inputs, much faster than the non-backtracking one.
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

    private static readonly (Regex Match, string Replacement, bool NeedsDigit)[] Replacements =
    [
        (new(@"syz-executor\.?[0-9]+((/|:)[0-9]+)?", Options), "syz-executor", true),
        (new(@"syzkaller[0-9]+((/|:)[0-9]+)?", Options), "syzkaller", true),
        // Anything that looks like an address.
        (new(@"([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}", Options), "${1}ADDR", false),
        (new(@"([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})", Options), "IP", true),
        // File line numbers.
        (new(@"(\.[0-9A-Za-z_]+)(:[0-9]+)+", Options), "${1}:LINE", true),
        // "ip6_fragment+0x1052/0x2d80" -> "ip6_fragment": offsets and sizes change with the build.
        (new(@"([a-zA-Z][a-zA-Z0-9_.]+)\+0x[0-9a-z]+/0x[0-9a-z]+", Options), "${1}", true),
        (new(@"CPU#[0-9]+", Options), "CPU", true),
        // Any other standalone decimal number (repeated until stable: "0,1,2" overlaps).
        (new(@"([^0-9A-Za-z_])([0-9]+)([^0-9A-Za-z_]|$)", Options), "${1}NUM${3}", true),
        // Numbers inside names stay (cfg80211, nl802154), unless too long to be part of a name.
        (new(@"[0-9]{7,}", Options), "NUM", true),
    ];

    // Titles repeat (a warning that fires again and again, the alternative titles of one kind of
    // report): each is normalised once. Bounded, so that a log of endless distinct titles does not
    // grow it; clearing it only costs recomputing.
    private static readonly ConcurrentDictionary<string, string> Normalized = new(StringComparer.Ordinal);
    private const int MaxNormalized = 10_000;

    public static string Normalize(string title)
    {
        if (Normalized.TryGetValue(title, out var known))
        {
            return known;
        }
        string normalized = NormalizeUncached(title);
        if (Normalized.Count >= MaxNormalized)
        {
            Normalized.Clear();
        }
        Normalized[title] = normalized;
        return normalized;
    }

    private static string NormalizeUncached(string title)
    {
        if (title.Length > MaxRawTitle)
            title = title[..MaxRawTitle];
        // Only the address pattern can match a title without digits ("deadbeef"): titles of
        // non-numeric names skip the rest.
        bool digits = title.AsSpan().IndexOfAnyInRange('0', '9') >= 0;
        foreach (var (match, replacement, needsDigit) in Replacements)
        {
            if (needsDigit && !digits)
                continue;
            while (true)
            {
                string next = match.Replace(title, replacement);
                if (next == title)
                    break;
                title = next;
            }
        }
        return Sanitize(title);
    }

    /// <summary>Keeps printable ASCII from the first 120 bytes and collapses runs of spaces.</summary>
    public static string Sanitize(string title)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(title);
        var sb = new StringBuilder(Math.Min(bytes.Length, MaxTitleBytes));
        char prev = ' ';
        for (int i = 0; i < bytes.Length && i < MaxTitleBytes; i++)
        {
            char ch = (char)bytes[i];
            if (ch == '\t')
                ch = ' ';
            else if (ch < 0x20 || ch >= 0x7f)
                continue;
            if (ch == ' ' && prev == ' ')
                continue;
            sb.Append(ch);
            prev = ch;
        }
        return sb.ToString().Trim();
    }
}
