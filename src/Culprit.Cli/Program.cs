using System.CommandLine;
using Culprit.Processes;

namespace Culprit.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var signals = StopSignals.Register();
        try
        {
            // Culprit handles SIGINT and SIGTERM itself (StopSignals): System.CommandLine's own
            // handling would end the process after 2 s, before the job is stored as stopped.
            var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
            return await BuildRoot().Parse(args).InvokeAsync(configuration, StopSignals.Token);
        }
        finally
        {
            // Whatever escaped every run's own cleanup and was reparented here ends with Culprit.
            ProcessRunner.KillAllLeftovers();
        }
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
