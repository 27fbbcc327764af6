using System.Text.RegularExpressions;

namespace Culprit.Crash.Formats;

/// <summary>
/// One kind of kernel report line: every line holding <see cref="Header"/> (and none of the
/// <see cref="Suppressions"/>) starts a report, whose title comes from the first of
/// <see cref="Formats"/> that matches earliest in the report.
/// </summary>
internal sealed record OopsFamily(string Header, IReadOnlyList<CrashFormat> Formats, IReadOnlyList<Regex> Suppressions)
{
    /// <summary>Whether one of the family's suppressions matches the line (its header aside).</summary>
    public bool IsSuppressed(ReadOnlySpan<char> line) => (_suppressed ??= new RegexUnion(Suppressions)).IsMatch(line);

    private RegexUnion? _suppressed;
}

/// <summary>
/// A crash format: how the report starts (<see cref="Title"/>), what else it must contain
/// (<see cref="Report"/>), how its title is built from the captures and the guilty frame
/// (<see cref="TitleFormat"/>, <c>{1}</c> = first capture, the frame comes last) and its
/// alternative titles. The crash type follows from the title (see <see cref="CrashTypes"/>), so
/// that one title always has one type whichever format produced it.
/// </summary>
internal sealed record CrashFormat(FormatRegex Title, string TitleFormat)
{
    /// <summary>When set, must match too (it supplies the captures); a title without it is a corrupted report.</summary>
    public FormatRegex? Report { get; init; }

    public IReadOnlyList<string> AltFormats { get; init; } = [];

    /// <summary>How to find the guilty frame; null when the title needs none.</summary>
    public StackRule? Stack { get; init; }

    /// <summary>The report has no call trace by nature, so a missing one does not make it corrupted.</summary>
    public bool NoStackTrace { get; init; }

    /// <summary>Reaching this format means the report lost its real header.</summary>
    public bool Corrupted { get; init; }

    private TitleSearch? _search;

    /// <summary>How <see cref="Title"/> is looked for, worked out once from its pattern.</summary>
    public TitleSearch Search => _search ??= TitleSearch.For(Title.ToString());
}

/// <summary>
/// How a title pattern can be searched cheaply: anchored at the report start, spanning lines, or
/// within one line, in which case <see cref="Literal"/> is text every match contains, so that
/// lines without it need no regex.
/// </summary>
internal sealed record TitleSearch(bool Anchored, bool MultiLine, string Literal)
{
    public static TitleSearch For(string pattern) => new(
        pattern.StartsWith('^'),
        pattern.Contains("\\n", StringComparison.Ordinal) || pattern.Contains("\\s", StringComparison.Ordinal),
        LeadingLiteral(pattern));

    /// <summary>The text a pattern starts with before any regex syntax ("" when unsure).</summary>
    public static string LeadingLiteral(string pattern)
    {
        if (HasTopLevelAlternation(pattern))
            return "";
        int i = 0;
        while (i < pattern.Length && !IsSyntax(pattern[i]))
            i++;
        // A quantifier after the literal makes its last character optional.
        if (i < pattern.Length && pattern[i] is '?' or '*' or '{')
            i--;
        return i <= 0 ? "" : pattern[..i];
    }

    private static bool IsSyntax(char c) => c is '\\' or '.' or '^' or '$' or '(' or ')' or '[' or ']' or '|' or '?' or '*' or '+' or '{' or '}';

    private static bool HasTopLevelAlternation(string pattern)
    {
        int depth = 0;
        bool inClass = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\')
                i++;
            else if (inClass)
                inClass = c != ']';
            else if (c == '[')
                inClass = true;
            else if (c == '(')
                depth++;
            else if (c == ')')
                depth--;
            else if (c == '|' && depth == 0)
                return true;
        }
        return false;
    }
}

/// <summary>
/// Picks the guilty frame. <see cref="Parts"/> are matched line by line in order; a null part means
/// "parse a stack trace here", any other part is a regex that must match a line and whose
/// captures are frames. <see cref="Parts2"/> is the fallback when no frame is found.
/// </summary>
internal sealed record StackRule(IReadOnlyList<Regex?> Parts)
{
    public IReadOnlyList<Regex?>? Parts2 { get; init; }

    /// <summary>Functions skipped on top of <see cref="StackConventions.SkipPatterns"/> (regex, substring match).</summary>
    public IReadOnlyList<string> Skip { get; init; } = [];

    /// <summary>Chooses the frame from all frames (after prefix stripping); returns the frame and its index.</summary>
    public Func<IReadOnlyList<string>, (string Frame, int Index)>? Extractor { get; init; }

    private SkipMatcher? _skip;

    public const int MaxFrameLength = 512;

    /// <summary>Whether the frame is one the title must not use (absurdly long names included).</summary>
    public bool IsSkipped(string frame) =>
        frame.Length > MaxFrameLength || (_skip ??= SkipMatcher.Create(Skip)).IsMatch(frame);

    /// <summary>Marks "parse the stack trace from here" in <see cref="Parts"/>.</summary>
    public const Regex? Trace = null;
}

/// <summary>
/// The skip list as a vectorised substring search for the plain names plus one small
/// regex for the patterns.
/// </summary>
internal sealed class SkipMatcher
{
    private static readonly SkipMatcher Common = new(StackConventions.SkipPatterns);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SkipMatcher> Extras = new();

    private readonly System.Buffers.SearchValues<string>? _words;
    private readonly Regex? _patterns;

    private SkipMatcher(IEnumerable<string> patterns)
    {
        var list = patterns.ToList();
        var words = list.Where(IsPlain).ToArray();
        var regexes = list.Where(p => !IsPlain(p)).ToArray();
        if (words.Length > 0)
            _words = System.Buffers.SearchValues.Create(words, StringComparison.Ordinal);
        if (regexes.Length > 0)
            _patterns = new Regex(string.Join("|", regexes.Select(p => "(?:" + p + ")")), Patterns.Options);
    }

    public static SkipMatcher Create(IReadOnlyList<string> extra) =>
        extra.Count == 0 ? Common : Extras.GetOrAdd(string.Join("\n", extra), _ => new SkipMatcher(extra));

    // Function names repeat from report to report: remember the answers (bounded).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);

    public bool IsMatch(string frame)
    {
        if (_seen.TryGetValue(frame, out bool skip))
            return skip;
        skip = Matches(frame) || (this != Common && Common.Matches(frame));
        if (_seen.Count > 100_000)
            _seen.Clear();
        _seen[frame] = skip;
        return skip;
    }

    private bool Matches(string frame) =>
        (_words != null && frame.AsSpan().IndexOfAny(_words) >= 0) || (_patterns != null && _patterns.IsMatch(frame));

    private static bool IsPlain(string pattern) => pattern.AsSpan().IndexOfAny(@"^$()[]|?*+.\{}") < 0;
}
