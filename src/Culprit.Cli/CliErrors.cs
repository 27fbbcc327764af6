using System.CommandLine;
using Culprit.Jobs;

namespace Culprit.Cli;

/// <summary>Turns the errors a user can cause into one line on stderr and a non-zero exit.</summary>
internal static class CliErrors
{
    public const int Failure = 1;

    public static async Task<int> GuardAsync(ParseResult parse, Func<Task<int>> action)
    {
        try
        {
            return await action();
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

    private static string OneLine(string message) => message.Split('\n')[0].Trim();
}
