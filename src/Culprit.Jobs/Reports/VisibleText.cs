using System.Globalization;
using System.Text;

namespace Culprit.Jobs.Reports;

/// <summary>
/// The one escaping of text that came from outside (crash titles, commit subjects and authors, test
/// output) before a person reads it in the log, <c>show</c>, the email or the HTML page: control
/// characters (an ESC of a colour code, a CR that would overwrite the line, any other C0 or C1
/// character, DEL) are shown as <c>\x1b</c>, <c>\r</c>… so the text cannot move the cursor, hide a
/// line or start a mail header. Backslashes are left alone: the result is for reading, not parsing.
/// </summary>
public static class VisibleText
{
    /// <summary>One line: every control character escaped, newlines and tabs included.</summary>
    public static string Line(string? text) => Escape(text, multiLine: false);

    /// <summary>Text of several lines: newlines and tabs kept, every other control character escaped.</summary>
    public static string Block(string? text) => Escape(text, multiLine: true);

    private static string Escape(string? text, bool multiLine)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }
        var first = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (NeedsEscape(text[i], multiLine))
            {
                first = i;
                break;
            }
        }
        if (first < 0)
        {
            return text;
        }
        var visible = new StringBuilder(text.Length + 16);
        visible.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var ch = text[i];
            if (!NeedsEscape(ch, multiLine))
            {
                visible.Append(ch);
                continue;
            }
            visible.Append(ch switch
            {
                '\r' => @"\r",
                '\n' => @"\n",
                '\t' => @"\t",
                _ => @"\x" + ((int)ch).ToString("x2", CultureInfo.InvariantCulture),
            });
        }
        return visible.ToString();
    }

    private static bool NeedsEscape(char ch, bool multiLine) =>
        (ch < 0x20 || ch is >= '\x7f' and <= '\x9f') && !(multiLine && ch is '\n' or '\t');
}
