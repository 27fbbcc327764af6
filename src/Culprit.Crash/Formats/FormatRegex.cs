using System.Text.RegularExpressions;

namespace Culprit.Crash.Formats;

/// <summary>
/// A title or report regex of the format table. Most are plain single-line regexes. Those with
/// lazy loops over whole lines ("header, then a later line holding X, then one holding Y":
/// <c>A(?:.*\n)+?.*B(?:.*\n)+?.*C</c>) are quadratic, or worse, on the backtracking engine: every
/// occurrence of the header rescans the rest of the report, and nested loops multiply that, which
/// a log full of headers turns into minutes per report. For those the lines are searched first,
/// one at a time and in linear time, and the regex itself only runs on the span where it is known
/// to match, so that it takes its first path and the captures are exactly its own.
/// </summary>
/// <remarks>
/// Why the line search finds the regex's match: the parts between the loops cannot cross a line,
/// so once a part has matched, what follows depends only on the line it matched on. The lazy loop
/// takes the first later line where the next part matches; if the rest fails from there, it fails
/// from every later line too (it would search a subset of the same lines). So the regex matches
/// exactly when, from the first header on, each part has a later line it matches, and then it
/// matches at that first header.
/// </remarks>
internal sealed class FormatRegex
{
    /// <summary>A lazy loop over whole lines, as written in the format table.</summary>
    public const string LineLoop = @"(?:.*\n)+?";

    private readonly Regex _regex;
    private readonly Regex? _header;        // the part before the first loop
    private readonly Regex[] _lineParts = []; // each part after a loop, anchored at a line start

    public FormatRegex(string pattern, RegexOptions options)
    {
        _regex = new Regex(pattern, options);
        // Reports are read in place, after their context lines (see MatchFrom).
        if (RegionMatch.LooksBehind(pattern))
            throw new ArgumentException($"a format regex must not look behind: {pattern}");
        if (!pattern.Contains(LineLoop, StringComparison.Ordinal))
            return;
        var parts = pattern.Split(LineLoop);
        for (int i = 0; i < parts.Length; i++)
            CheckStaysOnOneLine(pattern, parts[i], last: i == parts.Length - 1);
        _header = new Regex(parts[0], options);
        _lineParts = parts[1..].Select(p => new Regex("^(?:" + p + ")", options)).ToArray();
    }

    public override string ToString() => _regex.ToString();

    public Match Match(string text) => _header is null ? _regex.Match(text) : Match(text, 0, text.Length);

    public Match Match(string text, int startat) =>
        _header is null ? _regex.Match(text, startat) : Match(text, startat, text.Length - startat);

    /// <summary>
    /// Like <c>Match(text[regionStart..], startat - regionStart)</c>, with positions in
    /// <paramref name="text"/> (see <see cref="RegionMatch.From"/>).
    /// </summary>
    public Match MatchFrom(string text, int regionStart, int startat) =>
        startat == regionStart ? Match(text, regionStart, text.Length - regionStart) : Match(text, startat);

    public Match Match(string text, int beginning, int length)
    {
        if (_header is null)
            return _regex.Match(text, beginning, length);
        int end = beginning + length;
        var header = _header.Match(text, beginning, length);
        if (!header.Success)
            return System.Text.RegularExpressions.Match.Empty;
        int pos = header.Index;
        foreach (var part in _lineParts)
        {
            // The loop needs the newline ending the line of the previous part.
            int nl = text.IndexOf('\n', pos, end - pos);
            if (nl < 0)
                return System.Text.RegularExpressions.Match.Empty;
            pos = FirstLineMatching(part, text, nl + 1, end);
            if (pos < 0)
                return System.Text.RegularExpressions.Match.Empty;
        }
        int lineEnd = text.IndexOf('\n', pos, end - pos);
        int spanEnd = lineEnd < 0 ? end : lineEnd + 1;
        return _regex.Match(text, header.Index, spanEnd - header.Index);
    }

    /// <summary>Start of the first line in [<paramref name="from"/>, <paramref name="end"/>) that <paramref name="part"/> matches, or -1.</summary>
    private static int FirstLineMatching(Regex part, string text, int from, int end)
    {
        for (int line = from; line < end || (line == end && line == from);)
        {
            int nl = text.IndexOf('\n', line, end - line);
            // The line with its newline: a part may end with one.
            int lineEnd = nl < 0 ? end : nl + 1;
            if (part.IsMatch(text.AsSpan(line, lineEnd - line)))
                return line;
            if (nl < 0)
                break;
            line = nl + 1;
        }
        return -1;
    }

    /// <summary>The line search is only right for parts that cannot match across or look beyond a line.</summary>
    private static void CheckStaysOnOneLine(string pattern, string part, bool last)
    {
        string body = last && part.EndsWith(@"\n", StringComparison.Ordinal) ? part[..^2] : part;
        string[] multiLine = [@"\n", @"\s", @"\S", @"\W", @"\D", "[^", "^", "$", @"\b", @"\G", @"\A", @"\z", @"\Z", "(?<", "(?=", "(?!", "(?s", "(?m"];
        foreach (var construct in multiLine)
        {
            if (body.Contains(construct, StringComparison.Ordinal))
                throw new ArgumentException($"a part of a line-loop pattern uses {construct}, which may cross a line: {pattern}");
        }
    }
}
