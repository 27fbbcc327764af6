using System.CommandLine;

namespace Culprit.Cli;

public static class Program
{
    public static Task<int> Main(string[] args) => BuildRoot().Parse(args).InvokeAsync();

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
