using System.CommandLine;
using Culprit.Jobs.Reports;
using Culprit.Store;

namespace Culprit.Cli.Commands;

/// <summary><c>culprit jobs [--json]</c>: the jobs in the store, oldest first.</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print the list as JSON" };
        var store = StoreOption.Create();
        var server = Remote.ServerOptions.Server();
        var tokenFile = Remote.ServerOptions.TokenFile();
        var command = new Command("jobs", "List the jobs in the store.") { json, store, server, tokenFile };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse, async () =>
        {
            if (parse.GetValue(server) is { } url)
            {
                return await Remote.RemoteCommands.JobsAsync(parse.InvocationConfiguration.Output, url, parse.GetValue(tokenFile), parse.GetValue(json), ct);
            }
            var path = parse.GetValue(store)!;
            IReadOnlyList<JobListItem> items = [];
            // No store yet simply means no jobs; opening it would create an empty file as a side effect.
            if (File.Exists(path))
            {
                using var jobs = JobStore.Open(path);
                items = [.. jobs.ListJobs().Select(JobListItem.From)];
            }
            var output = parse.InvocationConfiguration.Output;
            await output.WriteAsync(parse.GetValue(json) ? JobListing.RenderJson(items) : JobListing.RenderTable(items));
            return 0;
        }));
        return command;
    }
}
