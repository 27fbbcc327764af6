using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Culprit.Crash.UserSpace;

/// <summary>
/// Answers "does any of these ClusterFuzz regexes match at the start of this one-line string" without
/// running them one by one: most of the list is plain text (a prefix, an exact name, or <c>.*TEXT</c>
/// searched for anywhere), so those become prefix buckets, a set of names and one vectorised
/// multi-string search; only the patterns that really are regexes stay a regex. The answer is that
/// of <c>^(?:p1|p2|...)</c> on a string without a line break.
/// </summary>
internal sealed class PatternListMatcher
{
    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private readonly string[][] _prefixesByFirstChar = new string[128][];
    private readonly List<string> _otherPrefixes = [];
    private readonly SearchValues<string>? _anywhere;
    private readonly Regex? _rest;

    public PatternListMatcher(IEnumerable<string> patterns)
    {
        var prefixes = new List<string>();
        var anywhere = new List<string>();
        var rest = new List<string>();
        foreach (string pattern in patterns)
        {
            bool unanchored = pattern.StartsWith(".*", StringComparison.Ordinal);
            string body = unanchored ? pattern[2..] : pattern;
            // "(|__)name" is two prefixes: "name" and "__name".
            string[] bodies = body.StartsWith("(|__)", StringComparison.Ordinal) ? [body[5..], "__" + body[5..]] : [body];
            foreach (string b in bodies)
            {
                if (Literal(b) is not var (text, exact))
                    rest.Add(unanchored ? ".*" + b : b);
                else if (unanchored && !exact)
                    anywhere.Add(text);
                else if (unanchored)
                    rest.Add(".*" + b);
                else if (exact)
                    _exact.Add(text);
                else
                    prefixes.Add(text);
            }
        }
        for (int c = 0; c < 128; c++)
            _prefixesByFirstChar[c] = prefixes.Where(p => p.Length > 0 && p[0] == c).ToArray();
        _otherPrefixes.AddRange(prefixes.Where(p => p.Length == 0 || p[0] >= 128));
        if (anywhere.Count > 0)
            _anywhere = SearchValues.Create(anywhere.Distinct().ToArray(), StringComparison.Ordinal);
        if (rest.Count > 0)
            _rest = new Regex("^(?:" + string.Join("|", rest) + ")", RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    public bool IsMatch(string s)
    {
        if (_exact.Contains(s))
            return true;
        if (s.Length > 0 && s[0] < 128)
        {
            foreach (string p in _prefixesByFirstChar[s[0]])
            {
                if (s.StartsWith(p, StringComparison.Ordinal))
                    return true;
            }
        }
        foreach (string p in _otherPrefixes)
        {
            if (s.StartsWith(p, StringComparison.Ordinal))
                return true;
        }
        if (_anywhere is not null && s.AsSpan().IndexOfAny(_anywhere) >= 0)
            return true;
        return _rest is not null && _rest.IsMatch(s);
    }

    /// <summary>
    /// The text a pattern matches when it is plain text (escaped punctuation allowed), and whether it
    /// ends in <c>$</c>; null when it uses any other regex syntax.
    /// </summary>
    private static (string Text, bool Exact)? Literal(string pattern)
    {
        var text = new StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length || char.IsAsciiLetterOrDigit(pattern[i + 1]))
                    return null;
                text.Append(pattern[++i]);
            }
            else if (c == '$' && i == pattern.Length - 1)
            {
                return (text.ToString(), true);
            }
            else if (".*+?()[]{}|^$".Contains(c))
            {
                return null;
            }
            else
            {
                text.Append(c);
            }
        }
        return (text.ToString(), false);
    }
}
