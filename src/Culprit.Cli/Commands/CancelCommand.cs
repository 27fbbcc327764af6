using System.CommandLine;
using Culprit.Cli.Remote;

namespace Culprit.Cli.Commands;

/// <summary><c>culprit cancel JOB --server URL</c>: stop a server's job (a local one is stopped with Ctrl-C).</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var job = new Argument<string>("JOB") { Description = "job id" };
        var server = ServerOptions.Server();
        server.Required = true;
        var tokenFile = ServerOptions.TokenFile();
        var command = new Command("cancel", "Stop a job running on a culprit server; what it stored stays.") { job, server, tokenFile };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse, () =>
            RemoteCommands.CancelAsync(parse.InvocationConfiguration.Output, parse.GetValue(server)!, parse.GetValue(tokenFile), parse.GetValue(job)!, ct)));
        return command;
    }
}
