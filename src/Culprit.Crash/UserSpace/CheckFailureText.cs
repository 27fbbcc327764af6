using System.Text.RegularExpressions;

namespace Culprit.Crash.UserSpace;

/// <summary>How CHECK and assertion messages and their source files are cut to what stays the same between runs.</summary>
internal static class CheckFailureText
{
    private static readonly Regex AndroidVersus = new(@"(?<=failed): .*\svs\.\s.*$", RegexOptions.CultureInvariant);
    private static readonly Regex ValuesVersus = new(@" \(.*\s+vs\.\s+.*", RegexOptions.CultureInvariant);
    private static readonly Regex QuotedValue = new(@"\s*[:=]\s*(['""]).*\1$", RegexOptions.CultureInvariant);
    private static readonly Regex StandaloneNumber = new(@"(?<![\w.])[0-9]+(?![\w.])", RegexOptions.CultureInvariant);

    /// <summary>The failed condition without <c>Check failed: </c>, compared values or quoted strings.</summary>
    public static string Clean(string failure)
    {
        if (failure.StartsWith("Check failed: ", StringComparison.Ordinal))
            failure = failure["Check failed: ".Length..];
        failure = AndroidVersus.Replace(failure, "");
        failure = ValuesVersus.Replace(failure, "");
        failure = QuotedValue.Replace(failure, "");
        return failure.Trim(' ', '.', '\'', '"', '[', ']');
    }

    /// <summary>
    /// A V8 fatal error's free-text message with each number that stands alone as <c>NUMBER</c>: such
    /// messages carry values of the run (<c>Funky failure at token 13</c>), which must not split one bug
    /// into many states. Numbers inside names (<c>Baz2</c>) or versions (<c>1.2</c>) stay.
    /// </summary>
    public static string NumbersAsTokens(string message) => StandaloneNumber.Replace(message, "NUMBER");

    /// <summary>The base name of a source file, without line number or directories.</summary>
    public static string FileName(string file)
    {
        file = file.Trim(' ', '.', '\'', '"', '[', ']');
        int colon = file.IndexOf(':');
        if (colon >= 0) file = file[..colon];
        int paren = file.IndexOf('(');
        if (paren >= 0) file = file[..paren];
        file = file.Replace('\\', '/');
        return file[(file.LastIndexOf('/') + 1)..];
    }
}
