using System.CommandLine;
using Culprit.Processes;

namespace Culprit.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["resume" or "bisect", ..])
        {
            // Started before the command line is even parsed: reading the job's inputs waits for it first,
            // and a new job's inputs are written with the same metadata (bisect's range is listed only
            // once they are stored: at 1.3 M commits a tenth of a second of its wait for the first test).
            Culprit.Jobs.JsonDefaults.PrepareJobReading();
        }
        using var signals = StopSignals.Register();
        try
        {
            // Culprit handles SIGINT and SIGTERM itself (StopSignals): System.CommandLine's own
            // handling would end the process after 2 s, before the job is stored as stopped.
            return await InvokeAsync(args, new InvocationConfiguration { ProcessTerminationTimeout = null }, StopSignals.Token);
        }
        finally
        {
            // Whatever escaped every run's own cleanup and was reparented here ends with Culprit.
            ProcessRunner.KillAllLeftovers();
        }
    }

    /// <summary>Parses and runs one command line; a parse error is one line on stderr and exit status 2.</summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration configuration, CancellationToken ct = default)
    {
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            return CliErrors.ReportParseErrors(parse, configuration.Error);
        }
        return await parse.InvokeAsync(configuration, ct);
    }

    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand("Culprit finds the commit that introduced (or fixed) a crash.");
        foreach (var command in CommandList.All())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }
}
