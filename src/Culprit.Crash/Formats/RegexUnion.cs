using System.Text.RegularExpressions;

namespace Culprit.Crash.Formats;

/// <summary>
/// Whether any of several regexes matches, asked of one regex that is their alternation: a line is
/// then scanned once, not once per regex (suppression lists are tried on every line that holds a
/// report header). A text has a match of the alternation exactly when one of them matches it.
/// </summary>
internal sealed class RegexUnion
{
    private readonly Regex? _union;

    public RegexUnion(IReadOnlyList<Regex> regexes)
    {
        if (regexes.Count == 0)
        {
            return;
        }
        var options = regexes[0].Options;
        foreach (var re in regexes)
        {
            // Captures are renumbered in the alternation, so a backreference would change meaning.
            string pattern = re.ToString();
            if (re.Options != options || Regex.IsMatch(pattern, @"\\[1-9]|\\k[<']"))
            {
                throw new ArgumentException($"cannot join into one regex: {pattern}");
            }
        }
        _union = new Regex(string.Join("|", regexes.Select(r => "(?:" + r + ")")), options);
    }

    public bool IsMatch(ReadOnlySpan<char> text) => _union != null && _union.IsMatch(text);
}
