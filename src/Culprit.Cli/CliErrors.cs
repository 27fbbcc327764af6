using System.CommandLine;
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
        var first = ChoicesOnOneLine(parse.Errors[0].Message);
        var more = parse.Errors.Count > 1 ? $" (and {parse.Errors.Count - 1} more; see --help)" : "";
        error.WriteLine($"culprit: {OneLine(first)}{more}");
        return ExitStatus.Usage;
    }

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
