using System.Text.RegularExpressions;

namespace Culprit.Crash.Formats;

/// <summary>
/// Builds the regular expressions of the format table. They run on the backtracking engine,
/// compiled to IL (several times faster than interpreted on the per-line work). They are matched
/// line by line or from a literal header on, and only on text inside one report window, which
/// bounds what a hostile log can make them cost.
/// </summary>
internal static class Patterns
{
    /// <summary>A raw code address in a stack line: <c>[&lt;ffffffff81234567&gt;]</c> or <c>[0x1234]</c>.</summary>
    public const string Pc = @"\[<?(?:0x)?[0-9a-f]+>?\]";

    /// <summary>A function name followed by its offset (<c>foo+0x12/0x40</c>) or a suffix (<c>foo.isra.3</c>).</summary>
    public const string Func = @"([a-zA-Z0-9_]+)(?:\.|\+)";

    /// <summary>A source location such as <c>net/ipv6/ip6_output.c:1748</c>.</summary>
    public const string Src = @"([a-zA-Z0-9\-_/.]+\.[a-z]+:[0-9]+)";

    public const string Addr = "0x[0-9a-f]+";

    public const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

    /// <summary>Expands the {{PC}}, {{FUNC}}, {{SRC}} and {{ADDR}} placeholders and compiles the pattern.</summary>
    public static Regex Compile(string pattern) => new(Expand(pattern), Options);

    /// <summary>Like <see cref="Compile"/>, for the title and report regexes of a format.</summary>
    public static FormatRegex Format(string pattern) => new(Expand(pattern), Options);

    public static string Expand(string pattern) => pattern
        .Replace("{{ADDR}}", Addr, StringComparison.Ordinal)
        .Replace("{{PC}}", Pc, StringComparison.Ordinal)
        .Replace("{{FUNC}}", Func, StringComparison.Ordinal)
        .Replace("{{SRC}}", Src, StringComparison.Ordinal);

    /// <summary>Fills <c>{1}</c>, <c>{2}</c>, … (1-based, like the capture groups they come from).</summary>
    public static string Fill(string format, IReadOnlyList<string> args)
    {
        var sb = new System.Text.StringBuilder(format.Length + 32);
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c == '{')
            {
                int close = format.IndexOf('}', i + 1);
                if (close > i + 1 && int.TryParse(format.AsSpan(i + 1, close - i - 1), out int n))
                {
                    if (n >= 1 && n <= args.Count)
                        sb.Append(args[n - 1]);
                    i = close;
                    continue;
                }
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
