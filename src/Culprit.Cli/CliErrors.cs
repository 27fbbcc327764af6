using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Culprit.Jobs;
using Culprit.Jobs.Reports;

namespace Culprit.Cli;

/// <summary>Turns the errors a user can cause into one line on stderr and a non-zero exit.</summary>
internal static class CliErrors
{
    public const int Failure = ExitStatus.Error;

    public static async Task<int> GuardAsync(ParseResult parse, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (UsageException ex)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"culprit: {OneLine(ex.Message)}");
            return ExitStatus.Usage;
        }
        catch (Exception ex) when (UserErrors.Is(ex))
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"culprit: {OneLine(ex.Message)}");
            return Failure;
        }
        catch (JobStoppedException)
        {
            // The job's log already says it stopped and how to resume it.
            return StopSignals.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("culprit: interrupted");
            return StopSignals.ExitCode;
        }
    }

    /// <summary>
    /// The command line's own errors (unknown option, a value of the wrong type, a validator's
    /// complaint): the first one as one line and <see cref="ExitStatus.Usage"/>, instead of the help text.
    /// </summary>
    public static int ReportParseErrors(ParseResult parse, TextWriter error)
    {
        var first = NotANumberOf(parse.Errors[0]) ?? ChoicesOnOneLine(parse.Errors[0].Message);
        var more = parse.Errors.Count > 1 ? $" (and {parse.Errors.Count - 1} more; see --help)" : "";
        error.WriteLine($"culprit: {OneLine(first)}{more}");
        return ExitStatus.Usage;
    }

    /// <summary>What a number option says of a value that is not one (every command's, in one wording).</summary>
    public static string NotANumber(string option, Type type, string text) =>
        $"{option} must be {(IsWholeNumber(type) ? "a whole number" : "a number")} (got '{text}')";

    /// <summary>
    /// A number option's value that does not parse, as <see cref="NotANumber"/> says it; the command
    /// line's own message names .NET types (<c>as expected type 'System.Nullable`1[System.Int32]'</c>).
    /// Null for any other error.
    /// </summary>
    private static string? NotANumberOf(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        if (option is null || option.Tokens.Count == 0)
        {
            return null;
        }
        var type = Nullable.GetUnderlyingType(option.Option.ValueType) ?? option.Option.ValueType;
        var text = option.Tokens[^1].Value;
        bool? parses = type == typeof(int) ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            : type == typeof(long) ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            : type == typeof(double) ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            : null;
        return parses == false ? NotANumber(option.Option.Name, type, text) : null;
    }

    private static bool IsWholeNumber(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var t && (t == typeof(int) || t == typeof(long));

    /// <summary>
    /// The command line lists an option's choices one per line, tab-indented, after "Must be one of:"
    /// (the last such phrase: the value given comes before it): shown as a comma-separated list.
    /// </summary>
    private static string ChoicesOnOneLine(string message)
    {
        const string Phrase = "Must be one of:";
        var at = message.LastIndexOf(Phrase, StringComparison.Ordinal);
        if (at < 0)
        {
            return message;
        }
        var choices = message[(at + Phrase.Length)..].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return $"{message[..at]}{Phrase} {string.Join(", ", choices)}";
    }

    /// <summary>The whole message on one line: a newline in it (a revision with one, say) is shown escaped, never cut.</summary>
    public static string OneLine(string message) => VisibleText.Line(message.Trim());
}
