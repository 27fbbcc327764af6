using System.CommandLine;
using System.Text.Json;
using Culprit.Jobs;
using Culprit.Store;

namespace Culprit.Cli.Commands;

/// <summary><c>culprit show JOB [--json]</c>: the job's log and result as stored.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var job = new Argument<string>("JOB") { Description = "job id" };
        var json = new Option<bool>("--json") { Description = "print the result object instead of the log" };
        var store = StoreOption.Create();
        var server = Remote.ServerOptions.Server();
        var tokenFile = Remote.ServerOptions.TokenFile();
        var command = new Command("show", "Show a job's log, verdicts and result.") { job, json, store, server, tokenFile };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse, async () =>
        {
            if (parse.GetValue(server) is { } url)
            {
                return await Remote.RemoteCommands.ShowAsync(parse.InvocationConfiguration.Output, url, parse.GetValue(tokenFile), parse.GetValue(job)!, parse.GetValue(json), ct);
            }
            using var jobs = JobStore.Open(ResumeCommand.StoreFile(parse, store));
            var id = parse.GetValue(job)!;
            var record = jobs.GetJob(id);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                var text = record.ResultJson is { } stored
                    ? JsonSerializer.Serialize(JsonSerializer.Deserialize<JobResult>(stored, JsonDefaults.Options), JsonDefaults.Indented)
                    : JsonSerializer.Serialize(new { job = id, state = record.State, result = (string?)null }, JsonDefaults.Indented);
                await output.WriteLineAsync(text);
                return 0;
            }
            foreach (var line in jobs.Log(id))
            {
                await output.WriteLineAsync(Jobs.Reports.VisibleText.Block(line.Text));
            }
            if (record.State != "finished")
            {
                await output.WriteLineAsync($"job {id} is {record.State}: `culprit resume {id}` continues it");
            }
            return 0;
        }));
        return command;
    }
}
