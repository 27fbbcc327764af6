using System.Text.RegularExpressions;
using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>Turns the window around one report line into a <see cref="CrashReport"/>.</summary>
internal static class ReportBuilder
{
    private static readonly Regex TitleFrame = new(@".* in ((?:<[a-zA-Z0-9_: ]+>)?[a-zA-Z0-9_:]+)", Patterns.Options);

    /// <param name="window">The output around the report; <paramref name="start"/> is its first line.</param>
    /// <param name="offset">Position of <paramref name="window"/> in the whole log.</param>
    public static CrashReport Build(ReadOnlySpan<char> window, int start, int offset, OopsFamily family)
    {
        var collected = ReportCollector.Collect(window, start, family);
        string text = collected.Text;
        var description = DescriptionExtractor.Extract(text[..collected.TitleTextLength], family);
        string prefix = collected.Prefix;
        if (description is null)
        {
            // The header is not in the collected lines (e.g. filtered as another context):
            // fall back to the raw output.
            prefix = "";
            text = window[start..collected.EndPos].ToString();
            description = DescriptionExtractor.Extract(text, family)
                ?? new Description(FirstLine(text), [], "header not found", null);
        }
        string rawTitle = description.Title;
        string? corrupted = description.CorruptedReason ?? CorruptionCheck.Reason(rawTitle, text, description.Format);
        if (window.Contains(LinuxCrashFormats.ConsoleHangup, StringComparison.Ordinal))
            corrupted ??= "console disconnected";
        string title = TitleNormalizer.Normalize(rawTitle);
        var alts = description.AltTitles.Select(TitleNormalizer.Normalize).ToList();
        var frameMatch = TitleFrame.Match(title);
        int lineEnd = window[start..].IndexOf('\n');
        int skipPos = lineEnd < 0 ? window.Length : start + lineEnd;
        return new CrashReport(
            Title: title,
            AltTitles: alts,
            Type: CrashTypes.FromTitle(rawTitle),
            Corrupted: corrupted != null,
            Suppressed: IsSuppressed(window),
            Frame: frameMatch.Success ? frameMatch.Groups[1].Value : null,
            GuiltyFile: GuiltyFile.Find(title, text),
            Report: prefix + text,
            Start: offset + start,
            End: offset + Math.Max(collected.EndPos, skipPos))
        {
            CorruptedReason = corrupted,
            NextReport = collected.NextReport < 0 ? -1 : offset + collected.NextReport,
        };
    }

    private static bool IsSuppressed(ReadOnlySpan<char> window)
    {
        // Suppressions are single-line patterns that each contain one of the words: only lines
        // with a word need the regexes.
        int pos = 0;
        while (pos < window.Length)
        {
            int hit = window[pos..].IndexOfAny(LinuxCrashFormats.SuppressionWords);
            if (hit < 0)
                return false;
            hit += pos;
            int lineStart = window[..hit].LastIndexOf('\n') + 1;
            int nl = window[hit..].IndexOf('\n');
            int lineEnd = nl < 0 ? window.Length : hit + nl;
            var line = window[lineStart..lineEnd];
            foreach (var re in LinuxCrashFormats.Suppressions)
            {
                if (re.IsMatch(line))
                    return true;
            }
            pos = lineEnd + 1;
        }
        return false;
    }

    private static string FirstLine(string text)
    {
        int nl = text.IndexOf('\n');
        return nl < 0 ? text : text[..nl];
    }
}
