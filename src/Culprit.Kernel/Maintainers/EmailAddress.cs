using System.Text.RegularExpressions;

namespace Culprit.Kernel.Maintainers;

internal static partial class EmailAddress
{
    /// <summary>The address in <c>Name &lt;a@b&gt;</c>, <c>a@b (moderated)</c> or a bare <c>a@b</c>; null when there is none.</summary>
    public static string? In(string text)
    {
        var angle = AngleAddress().Match(text);
        if (angle.Success)
        {
            return angle.Groups[1].Value;
        }
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(t => t.Contains('@'))?.Trim('<', '>', ',', '"', '(', ')');
    }

    [GeneratedRegex(@"<([^<>\s]+@[^<>\s]+)>")]
    private static partial Regex AngleAddress();
}
