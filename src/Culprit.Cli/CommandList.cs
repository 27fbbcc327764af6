using System.CommandLine;
using Culprit.Cli.Commands;

namespace Culprit.Cli;

/// <summary>The subcommands of <c>culprit</c>; each lives in its own file under Commands/.</summary>
internal static class CommandList
{
    public static IEnumerable<Command> All()
    {
        yield return BisectCommand.Create();
        yield return ResumeCommand.Create();
        yield return ShowCommand.Create();
        yield return DemoCommand.Create();
        yield return ParseLogCommand.Create();
        yield return SimulateCommand.Create();
        yield return ReportCommand.Create();
        yield return JobsCommand.Create();
        yield return ServeCommand.Create();
        yield return SubmitCommand.Create();
        yield return CancelCommand.Create();
    }
}
