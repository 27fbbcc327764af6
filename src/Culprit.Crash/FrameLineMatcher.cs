using System.Text.RegularExpressions;
using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>Cheap literal pre-checks in front of the per-line stack regexes (they run on every report line).</summary>
internal static class FrameLineMatcher
{
    /// <summary>Every line that <see cref="StackConventions.StackStarts"/> matches holds one of these.</summary>
    public static readonly LiteralSearch StackStartWords = new(StackConventions.StackStartWords.SelectMany(s => s.Words));

    /// <summary>Every line that <see cref="StackConventions.CorruptedLines"/> matches holds this.</summary>
    public const string FaultInjection = "should_fail";

    public static bool IsStackStart(ReadOnlySpan<char> line) =>
        StackStartWords.IndexOfAny(line) >= 0 && MatchesStackStart(line);

    /// <summary><see cref="IsStackStart"/> for a line already known to hold one of <see cref="StackStartWords"/>.</summary>
    public static bool MatchesStackStart(ReadOnlySpan<char> line) => Any(StackConventions.StackStarts, line);

    public static bool MayHoldStackStart(ReadOnlySpan<char> text) => StackStartWords.IndexOfAny(text) >= 0;

    public static bool IsCorruptedLine(ReadOnlySpan<char> line) =>
        line.Contains(FaultInjection, StringComparison.Ordinal) && MatchesCorruptedLine(line);

    /// <summary><see cref="IsCorruptedLine"/> for a line already known to hold <see cref="FaultInjection"/>.</summary>
    public static bool MatchesCorruptedLine(ReadOnlySpan<char> line) => Any(StackConventions.CorruptedLines, line);

    /// <summary>
    /// The function names of a stack frame line, as the captures of the first of
    /// <see cref="StackConventions.FrameLines"/> that matches: 0 (not a frame), 1 (x86 and most
    /// others) or 2 (arm's "(callee) from (caller)"). Hand-written because it runs on every line of
    /// every stack; a test holds it to the regexes on the whole corpus.
    /// </summary>
    public static int Frame(ReadOnlySpan<char> line, out Range first, out Range second)
    {
        first = second = default;
        int i = 0;
        while (i < line.Length && line[i] == ' ')
            i++;
        // "^ *(?:PC ){0,2}FUNC"
        int j = i;
        for (int k = 0; k < 2; k++)
        {
            int e = Pc(line, j);
            if (e < 0 || e >= line.Length || line[e] != ' ')
                break;
            j = e + 1;
        }
        int end = NameEnd(line, j, dots: false);
        if (end > j && IsFuncEnd(line, end))
        {
            first = j..end;
            return 1;
        }
        // "^ *PC \(name\) from PC \(FUNC"
        int p = Pc(line, i);
        if (p < 0 || !line[p..].StartsWith(" (", StringComparison.Ordinal))
            return 0;
        int calleeEnd = NameEnd(line, p + 2, dots: true);
        if (calleeEnd == p + 2 || !line[calleeEnd..].StartsWith(") from ", StringComparison.Ordinal))
            return 0;
        int q = Pc(line, calleeEnd + 7);
        if (q < 0 || !line[q..].StartsWith(" (", StringComparison.Ordinal))
            return 0;
        int callerEnd = NameEnd(line, q + 2, dots: false);
        if (callerEnd == q + 2 || !IsFuncEnd(line, callerEnd))
            return 0;
        first = (p + 2)..calleeEnd;
        second = (q + 2)..callerEnd;
        return 2;
    }

    public static bool IsFrame(ReadOnlySpan<char> line) => Frame(line, out _, out _) > 0;

    // {{PC}}: "\[<?(?:0x)?[0-9a-f]+>?\]"; returns the index after it, or -1.
    private static int Pc(ReadOnlySpan<char> line, int i)
    {
        if (i >= line.Length || line[i] != '[')
            return -1;
        i++;
        if (i < line.Length && line[i] == '<')
            i++;
        if (line[i..].StartsWith("0x", StringComparison.Ordinal) && HexEnd(line, i + 2) is var e && e > i + 2 && Close(line, e) is var c && c >= 0)
            return c;
        int h = HexEnd(line, i);
        return h > i ? Close(line, h) : -1;
    }

    private static int Close(ReadOnlySpan<char> line, int i)
    {
        if (i < line.Length && line[i] == '>')
            i++;
        return i < line.Length && line[i] == ']' ? i + 1 : -1;
    }

    private static int HexEnd(ReadOnlySpan<char> line, int i)
    {
        while (i < line.Length && (char.IsAsciiDigit(line[i]) || line[i] is >= 'a' and <= 'f'))
            i++;
        return i;
    }

    private static int NameEnd(ReadOnlySpan<char> line, int i, bool dots)
    {
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_' || (dots && line[i] == '.')))
            i++;
        return i;
    }

    // {{FUNC}} ends with "." (a suffix such as .isra.0) or "+" (the offset).
    private static bool IsFuncEnd(ReadOnlySpan<char> line, int i) => i < line.Length && line[i] is '.' or '+';

    private static bool Any(Regex[] res, ReadOnlySpan<char> line)
    {
        foreach (var re in res)
        {
            if (re.IsMatch(line))
                return true;
        }
        return false;
    }
}
