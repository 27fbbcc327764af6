using System.Text.RegularExpressions;
using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>Turns the window around one report line into a <see cref="CrashReport"/>.</summary>
internal static class ReportBuilder
{
    private static readonly Regex TitleFrame = new(@".* in ((?:<[a-zA-Z0-9_: ]+>)?[a-zA-Z0-9_:]+)", Patterns.Options);

    /// <param name="window">The output around the report; <paramref name="start"/> is its first line.</param>
    /// <param name="offset">Position of <paramref name="window"/> in the whole log.</param>
    /// <param name="suppressed">The window holds a line saying the machine, not the kernel, failed.</param>
    /// <param name="hangup">The console was disconnected in the window.</param>
    /// <param name="lines">Line facts shared with the neighbouring reports' windows.</param>
    public static CrashReport Build(ReadOnlySpan<char> window, int start, int offset, OopsFamily family, bool suppressed, bool hangup, LineCache lines)
    {
        var collected = ReportCollector.Collect(window, start, family, lines, offset);
        string report = collected.Report;
        int textStart = collected.TextStart;
        // The title comes from the text up to TitleEnd: read in place when that is all of it (the
        // usual case); a copy otherwise, as the regexes must not see beyond it.
        var description = collected.TitleEnd == report.Length
            ? DescriptionExtractor.Extract(report, textStart, family)
            : DescriptionExtractor.Extract(report[textStart..collected.TitleEnd], 0, family);
        if (description is null)
        {
            // The header is not in the collected lines (e.g. filtered as another context):
            // fall back to the raw output, without the context lines.
            report = window[start..collected.EndPos].ToString();
            textStart = 0;
            description = DescriptionExtractor.Extract(report, 0, family)
                ?? new Description(FirstLine(report), [], "header not found", null);
        }
        string rawTitle = description.Title;
        string? corrupted = description.CorruptedReason ?? CorruptionCheck.Reason(rawTitle, report, textStart, description.Format);
        if (hangup)
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
            Suppressed: suppressed,
            Frame: frameMatch.Success ? frameMatch.Groups[1].Value : null,
            GuiltyFile: GuiltyFile.Find(title, report, textStart),
            Report: report,
            Start: offset + start,
            End: offset + Math.Max(collected.EndPos, skipPos))
        {
            CorruptedReason = corrupted,
            NextReport = collected.NextReport < 0 ? -1 : offset + collected.NextReport,
        };
    }

    private static string FirstLine(string text)
    {
        int nl = text.IndexOf('\n');
        return nl < 0 ? text : text[..nl];
    }
}
