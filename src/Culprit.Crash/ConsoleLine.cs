namespace Culprit.Crash;

/// <summary>
/// The printk prefix of a console line: <c>[  12.345678]</c>, optionally followed by the
/// CONFIG_PRINTK_CALLER context (<c>[ T1234]</c> for a task, <c>[ C1]</c> for a CPU). Lines of one
/// report share a context, which is how interleaved output of other tasks is filtered out.
/// Hand-written instead of a regex: it runs on every line of the log.
/// </summary>
internal static class ConsoleLine
{
    /// <summary>A printk line without a caller context.</summary>
    public const string NoCaller = "console";

    /// <summary>
    /// "" when the line has no printk timestamp, <see cref="NoCaller"/> when it has no caller
    /// context, else the context itself (e.g. "[ T1234]").
    /// </summary>
    public static string Context(ReadOnlySpan<char> line) => Find(line).ToString(line);

    /// <summary>The context of a line as a position in it (no allocation; this runs on every line).</summary>
    public static LineContext Find(ReadOnlySpan<char> line) => Find(line, line.Contains(Login, StringComparison.Ordinal));

    /// <param name="mayHoldLogin">False when the caller knows the line holds no <see cref="Login"/>.</param>
    public static LineContext Find(ReadOnlySpan<char> line, bool mayHoldLogin)
    {
        int start = 0;
        const string dropped = "** ";
        if (line.StartsWith(dropped, StringComparison.Ordinal))
        {
            // "** 12 printk messages dropped ** "
            int i = 3;
            int digits = SkipDigits(line, i);
            if (digits > i && line[digits..].StartsWith(" printk messages dropped ** ", StringComparison.Ordinal))
            {
                var ctx = AfterLogin(line, digits + " printk messages dropped ** ".Length, mayHoldLogin);
                if (ctx.Kind != LineContext.None)
                    return ctx;
            }
        }
        return AfterLogin(line, start, mayHoldLogin);
    }

    /// <summary>A serial console login prompt, after which printk output may continue on the same line.</summary>
    public const string Login = " login: ";

    // "(?:.* login: )?" prefers the last " login: " occurrence, then earlier ones, then none.
    private static LineContext AfterLogin(ReadOnlySpan<char> line, int from, bool mayHoldLogin)
    {
        var rest = line[from..];
        if (mayHoldLogin && rest.Contains(Login, StringComparison.Ordinal))
        {
            int end = rest.Length;
            while (end > 0)
            {
                int at = rest[..end].LastIndexOf(" login: ", StringComparison.Ordinal);
                if (at < 0)
                    break;
                var ctx = Timestamp(line, from + at + " login: ".Length);
                if (ctx.Kind != LineContext.None)
                    return ctx;
                end = at + " login: ".Length - 1;
            }
        }
        var direct = Timestamp(line, from);
        return direct.Kind != LineContext.None ? direct : AfterGarbage(line, from);
    }

    /// <summary>
    /// The first printk prefix later in the line: output of other programs (systemd status, a
    /// half-written shell line) sometimes lands on the console right before a kernel line, which
    /// then still belongs to its task or CPU.
    /// </summary>
    private static LineContext AfterGarbage(ReadOnlySpan<char> line, int from)
    {
        for (int i = from + 1; i < line.Length;)
        {
            int hit = line[i..].IndexOf('[');
            if (hit < 0)
                break;
            i += hit;
            var ctx = Timestamp(line, i);
            if (ctx.Kind != LineContext.None)
                return ctx;
            i++;
        }
        return default;
    }

    // "(?:<N>)?\[ *N.N\](\[ *(?:C|T)N\])? "
    private static LineContext Timestamp(ReadOnlySpan<char> line, int i)
    {
        if (i < line.Length && line[i] == '<')
        {
            int d = SkipDigits(line, i + 1);
            if (d > i + 1 && d < line.Length && line[d] == '>')
                i = d + 1;
        }
        if (i >= line.Length || line[i] != '[')
            return default;
        i++;
        while (i < line.Length && line[i] == ' ')
            i++;
        int j = SkipDigits(line, i);
        if (j == i || j >= line.Length || line[j] != '.')
            return default;
        int k = SkipDigits(line, j + 1);
        if (k == j + 1 || k >= line.Length || line[k] != ']')
            return default;
        k++;
        // Optional caller context.
        if (k < line.Length && line[k] == '[')
        {
            int c = k + 1;
            while (c < line.Length && line[c] == ' ')
                c++;
            if (c < line.Length && (line[c] == 'C' || line[c] == 'T'))
            {
                int e = SkipDigits(line, c + 1);
                if (e > c + 1 && e + 1 < line.Length && line[e] == ']' && line[e + 1] == ' ')
                    return new LineContext(LineContext.Caller, k, e + 1 - k, e + 2);
            }
        }
        if (k < line.Length && line[k] == ' ')
            return new LineContext(LineContext.Printk, 0, 0, k + 1);
        return default;
    }

    private static int SkipDigits(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && (uint)(s[i] - '0') <= 9)
            i++;
        return i;
    }

    /// <summary>
    /// The text after the printk prefix, and whether it is a "questionable" frame (x86 " ? func",
    /// powerpc "(unreliable)"): frames the unwinder only guessed, never used for titles.
    /// </summary>
    public static (int Start, int Length, bool Questionable) Strip(ReadOnlySpan<char> line, LineContext context)
    {
        int len = line.Length;
        if (len > 0 && line[len - 1] == '\r')
            len--;
        line = line[..len];
        if (context.Kind == LineContext.None)
            return (0, len, false);
        int start = Math.Min(context.TextStart, len);
        var rest = line[start..];
        var (eoi, q) = EoiAndQuestionMark(rest);
        if (!eoi)
        {
            if (q >= 0)
                return (start + q + 2, rest.Length - q - 2, true);
            if (rest.EndsWith(" (unreliable)", StringComparison.Ordinal))
                return (start, rest.Length - 13, true);
        }
        return (start, rest.Length, false);
    }

    /// <summary>
    /// Whether the text holds "&lt;EOI&gt;", and where its first " ? " is (-1 when none): one pass
    /// over the line for both, as this runs on every report line.
    /// </summary>
    private static (bool Eoi, int Question) EoiAndQuestionMark(ReadOnlySpan<char> text)
    {
        int question = -1;
        for (int i = 0; i < text.Length;)
        {
            int hit = text[i..].IndexOfAny('<', '?');
            if (hit < 0)
            {
                break;
            }
            hit += i;
            if (text[hit] == '<')
            {
                if (text[hit..].StartsWith("<EOI>", StringComparison.Ordinal))
                {
                    return (true, question);
                }
            }
            else if (question < 0 && hit > 0 && hit + 1 < text.Length && text[hit - 1] == ' ' && text[hit + 1] == ' ')
            {
                question = hit - 1;
            }
            i = hit + 1;
        }
        return (false, question);
    }

    public static bool IsTaskContext(string context) => context.Length > 2 && context.AsSpan().TrimStart('[').TrimStart(' ').StartsWith("T");
}

/// <summary>
/// Where a line's printk context is: none, a bare timestamp, or a caller id at [Start, Start+Length);
/// the kernel's text starts at <see cref="TextStart"/>.
/// </summary>
internal readonly record struct LineContext(int Kind, int Start, int Length, int TextStart = 0)
{
    public const int None = 0, Printk = 1, Caller = 2;

    public string ToString(ReadOnlySpan<char> line) => Kind switch
    {
        None => "",
        Printk => ConsoleLine.NoCaller,
        _ => line.Slice(Start, Length).ToString(),
    };

    /// <summary>Whether the line has the context <paramref name="context"/> (as returned by <see cref="ConsoleLine.Context"/>).</summary>
    public bool Is(ReadOnlySpan<char> line, string context) => Kind switch
    {
        None => context.Length == 0,
        Printk => ReferenceEquals(context, ConsoleLine.NoCaller) || context == ConsoleLine.NoCaller,
        _ => line.Slice(Start, Length).SequenceEqual(context),
    };

    /// <summary>
    /// Equal for equal contexts (a hash of a caller context), so that the lines of other tasks are
    /// told apart without comparing their text.
    /// </summary>
    public int Key(ReadOnlySpan<char> line) => Kind == Caller ? string.GetHashCode(line.Slice(Start, Length)) : Kind;

    public bool IsCpu(ReadOnlySpan<char> line) => Kind == Caller && line.Slice(Start, Length).TrimStart('[').TrimStart(' ').StartsWith("C");
}
