using System.Text.RegularExpressions;
using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>The title of a report, before normalisation, and how it was found.</summary>
internal sealed record Description(string Title, IReadOnlyList<string> AltTitles, string? CorruptedReason, CrashFormat? Format);

/// <summary>Applies a family's formats to a report text and builds its title from the winning one.</summary>
internal static class DescriptionExtractor
{
    public const string NoFrames = "extracted no frames";

    /// <summary>The description of the report text <c>output[start..]</c>; positions are in <paramref name="output"/>.</summary>
    public static Description? Extract(string output, int start, OopsFamily family)
    {
        int startPos = output.Length;
        bool matchedTitle = false;
        string desc = "";
        string? corrupted = null;
        CrashFormat? chosen = null;
        var altTitles = new List<string>();
        var headerLines = HeaderLines(output, start, family.Header);
        foreach (var f in family.Formats)
        {
            int at = TitleMatchPosition(f, output, start, family.Header, headerLines);
            if (at < 0 || at > startPos)
                continue;
            if (at == startPos && desc.Length > 0)
                continue;
            if (at < startPos)
            {
                desc = "";
                chosen = null;
                startPos = at;
            }
            matchedTitle = true;
            Match match;
            if (f.Report != null)
            {
                match = f.Report.MatchFrom(output, start, start);
                if (!match.Success)
                    continue;
            }
            else
            {
                match = f.Title.MatchFrom(output, start, at);
            }
            var args = new List<string>();
            for (int g = 1; g < match.Groups.Count; g++)
                args.Add(match.Groups[g].Success ? match.Groups[g].Value : "");
            var frames = new List<ExtractedFrame>();
            corrupted = null;
            if (f.Stack != null)
            {
                (frames, bool ok) = StackFrameExtractor.Extract(f.Stack, output, match.Index);
                if (!ok)
                    corrupted = NoFrames;
            }
            var canonical = args.Concat(frames.Select(fr => fr.Canonical)).ToList();
            desc = Patterns.Fill(f.TitleFormat, canonical);
            foreach (var alt in f.AltFormats)
                altTitles.Add(Patterns.Fill(alt, canonical));
            // Titles with the raw frame and with each syscall prefix stripped help deduplication.
            foreach (var variant in PartiallyStripped(args, frames))
            {
                string altTitle = Patterns.Fill(f.TitleFormat, variant);
                if (altTitle != desc)
                    altTitles.Add(altTitle);
                foreach (var alt in f.AltFormats)
                    altTitles.Add(Patterns.Fill(alt, variant));
            }
            chosen = f;
        }
        if (desc.Length == 0)
        {
            // A title matched but not the rest of its format: the report was cut or mixed up.
            if (matchedTitle)
                corrupted = "matched title but not report regexp";
            int pos = output.IndexOf(family.Header, start, StringComparison.Ordinal);
            if (pos < 0)
                return null;
            int end = output.IndexOf('\n', pos);
            desc = output[pos..(end < 0 ? output.Length : end)];
        }
        if (corrupted == null && chosen is { Corrupted: true })
            corrupted = "report format is marked as corrupted";
        return new Description(desc, altTitles.Distinct().ToList(), corrupted, chosen);
    }

    /// <summary>
    /// Where the format's title first matches, or -1. Titles that stay on one line are matched
    /// line by line, and only on lines holding the family header and the title's own leading text,
    /// which keeps the cost of the many formats that do not apply close to nothing.
    /// </summary>
    private static int TitleMatchPosition(CrashFormat f, string output, int start, string header, List<(int Start, int End)> headerLines)
    {
        var search = f.Search;
        if (search.Anchored)
        {
            var m = f.Title.MatchFrom(output, start, start);
            return m.Success ? m.Index : -1;
        }
        if (headerLines.Count == 0)
            return -1;
        if (search.MultiLine)
        {
            var m = f.Title.MatchFrom(output, start, output.IndexOf(header, headerLines[0].Start, StringComparison.Ordinal));
            return m.Success ? m.Index : -1;
        }
        foreach (var (lineStart, lineEnd) in headerLines)
        {
            if (search.Literal.Length > 0 &&
                !output.AsSpan(lineStart, lineEnd - lineStart).Contains(search.Literal, StringComparison.Ordinal))
                continue;
            var m = f.Title.Match(output, lineStart, lineEnd - lineStart);
            if (m.Success)
                return m.Index;
        }
        return -1;
    }

    /// <summary>The lines holding the family header, found once for all of its formats.</summary>
    private static List<(int Start, int End)> HeaderLines(string output, int start, string header)
    {
        var lines = new List<(int, int)>();
        int from = start;
        while (true)
        {
            int hit = output.IndexOf(header, from, StringComparison.Ordinal);
            if (hit < 0)
                return lines;
            int lineStart = Math.Max(start, output.LastIndexOf('\n', hit) + 1);
            int lineEnd = output.IndexOf('\n', hit);
            if (lineEnd < 0)
                lineEnd = output.Length;
            lines.Add((lineStart, lineEnd));
            from = lineEnd;
        }
    }

    private static IEnumerable<List<string>> PartiallyStripped(List<string> args, List<ExtractedFrame> frames)
    {
        yield return args.Concat(frames.Select(f => f.Raw)).ToList();
        foreach (var prefix in StackConventions.StripFramePrefixes)
        {
            if (frames.Any(f => f.Raw.StartsWith(prefix, StringComparison.Ordinal)))
                yield return args.Concat(frames.Select(f => f.Raw.StartsWith(prefix, StringComparison.Ordinal) ? f.Raw[prefix.Length..] : f.Raw)).ToList();
        }
    }
}
