using System.CommandLine;

namespace Culprit.Cli;

/// <summary>The subcommands of <c>culprit</c>; each lives in its own file under Commands/.</summary>
internal static class Commands
{
    public static IEnumerable<Command> All()
    {
        yield break;
    }
}
