using System.Globalization;
using System.Net;
using System.Text;

namespace Culprit.Jobs.Reports;

/// <summary>Escaping and number formatting for the HTML report.</summary>
internal static class Html
{
    /// <summary>
    /// Text safe in element content and quoted attributes. Control characters other than tab and
    /// newline (ANSI colour codes in a test's output, say) become their visible Unicode pictures.
    /// </summary>
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var visible = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            visible.Append(ch < 0x20 && ch is not ('\t' or '\n') ? (char)(0x2400 + ch) : ch == '\x7f' ? '\u2421' : ch);
        }
        return WebUtility.HtmlEncode(visible.ToString());
    }

    public static string Num(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
