using System.CommandLine;

namespace Culprit.Cli;

public static class Program
{
    public static Task<int> Main(string[] args) => InvokeAsync(args, new InvocationConfiguration());

    /// <summary>Parses and runs one command line; a parse error is one line on stderr and exit status 2.</summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration configuration)
    {
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            return CliErrors.ReportParseErrors(parse, configuration.Error);
        }
        return await parse.InvokeAsync(configuration);
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
