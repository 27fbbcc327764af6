using System.CommandLine;
using Culprit.Store;

namespace Culprit.Cli.Commands;

/// <summary><c>culprit resume JOB</c>: continue a stopped job without re-testing anything it has an outcome for.</summary>
internal static class ResumeCommand
{
    public static Command Create()
    {
        var job = new Argument<string>("JOB") { Description = "job id (printed by bisect, listed by jobs)" };
        var json = new Option<string?>("--json") { Description = "write the result object to this file" };
        var store = StoreOption.Create();
        var skipUntestable = new Option<bool>("--skip-untestable")
        {
            Description = "skip the commit the job stopped at (every run an infra error) and any other such commit, as git bisect run skips on 125",
        };
        var command = new Command("resume", "Continue a job where it stopped.\n" + ExitStatus.Help) { job, json, store, skipUntestable };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse, async () =>
        {
            using var jobs = JobStore.Open(StoreFile(parse, store));
            var id = parse.GetValue(job)!;
            jobs.GetJob(id);
            OutputFile.Check(parse.GetValue(json), jobs.FilePath, "--json");
            using var listener = ConsoleJobListener.For(parse.InvocationConfiguration.Output);
            return await JobCommands.RunToResultAsync(JobCommands.Runner(jobs, listener, parse.GetValue(skipUntestable)), id, parse.GetValue(json), parse, ct);
        }));
        return command;
    }

    /// <summary>The store file, which must already exist for commands that read jobs.</summary>
    public static string StoreFile(ParseResult parse, Option<string> store)
    {
        var path = parse.GetValue(store)!;
        if (!File.Exists(path))
        {
            throw new StoreException($"store not found: {path}");
        }
        return path;
    }
}
