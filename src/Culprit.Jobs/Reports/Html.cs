using System.Globalization;
using System.Net;

namespace Culprit.Jobs.Reports;

/// <summary>Escaping and number formatting for the HTML report.</summary>
internal static class Html
{
    /// <summary>
    /// Text safe in element content and quoted attributes. Control characters other than tab and
    /// newline (ANSI colour codes in a test's output, say) are shown escaped, as everywhere else.
    /// </summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(VisibleText.Block(text));

    public static string Num(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
