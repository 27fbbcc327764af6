using System.CommandLine;
using System.Text.Json;
using Culprit.Cli.Remote;
using Culprit.Jobs;
using Culprit.Service.Submissions;

namespace Culprit.Cli.Commands;

/// <summary>
/// <c>culprit submit --server URL &lt;the options of bisect&gt;</c>: the same options, checked the same
/// way, sent to a server (kernel files travel as content); <c>--follow</c> prints the log as it is
/// written and exits with the status <c>bisect</c> would.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var server = ServerOptions.Server();
        server.Required = true;
        var tokenFile = ServerOptions.TokenFile();
        var follow = new Option<bool>("--follow") { Description = "print the job's log as it runs and exit with bisect's status when it ends" };
        var command = BisectCommand.Create("submit", "Send a job to a culprit server (the options of bisect).\n" + ExitStatus.Help, async (parse, spec, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            using var client = new ServiceClient(parse.GetValue(server)!, ServerOptions.ReadToken(parse.GetValue(tokenFile)));
            var id = await client.SubmitAsync(JobSubmission.Of(spec), ct);
            await output.WriteLineAsync($"job: {id}");
            if (!parse.GetValue(follow))
            {
                return 0;
            }
            var state = await client.FollowLogAsync(id, line => output.WriteLineAsync(Jobs.Reports.VisibleText.Block(line)), ct);
            var json = await client.GetAsync(RemoteCommands.JobPath(id), ct);
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.TryGetProperty("state", out _))
            {
                await output.WriteLineAsync($"job {id} is {state}");
                return ExitStatus.Error;
            }
            return ExitStatus.Of(JsonSerializer.Deserialize<JobResult>(json, JsonDefaults.Options)!);
        });
        command.Options.Add(server);
        command.Options.Add(tokenFile);
        command.Options.Add(follow);
        return command;
    }
}
