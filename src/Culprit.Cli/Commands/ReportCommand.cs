using System.CommandLine;
using Culprit.Jobs;
using Culprit.Jobs.Reports;
using Culprit.Store;

namespace Culprit.Cli.Commands;

/// <summary><c>culprit report JOB --format text|json|email|html [-o FILE]</c>: a finished job's result for people to read.</summary>
internal static class ReportCommand
{
    private static readonly Dictionary<string, Func<ReportedJob, string>> Formats = new(StringComparer.Ordinal)
    {
        ["text"] = TextReport.Render,
        ["json"] = JsonReport.Render,
        ["email"] = EmailReport.Render,
        ["html"] = HtmlReport.Render,
    };

    public static Command Create()
    {
        var job = new Argument<string>("JOB") { Description = "job id (listed by `culprit jobs`)" };
        var format = new Option<string>("--format", "-f")
        {
            Description = "text (the log's closing block), json (the result object), email (a mail body with headers) or html (one self-contained page)",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong([.. Formats.Keys]);
        var output = new Option<string?>("--output", "-o") { Description = "write the report to this file (- or none: stdout)" };
        var store = StoreOption.Create();
        var server = Remote.ServerOptions.Server();
        var tokenFile = Remote.ServerOptions.TokenFile();
        var command = new Command("report", "Write a job's result as text, JSON, an email or an HTML page.") { job, format, output, store, server, tokenFile };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse, async () =>
        {
            if (parse.GetValue(server) is { } url)
            {
                var to = parse.GetValue(output) is var o && o == OutputFile.StandardOutput ? null : o;
                return await Remote.RemoteCommands.ReportAsync(parse.InvocationConfiguration.Output, url, parse.GetValue(tokenFile), parse.GetValue(job)!, parse.GetValue(format)!, to, ct);
            }
            ReportedJob reported;
            var storeFile = ResumeCommand.StoreFile(parse, store);
            var file = parse.GetValue(output) is var named && named == OutputFile.StandardOutput ? null : named;
            OutputFile.Check(file, storeFile, "-o");
            using (var jobs = JobStore.Open(storeFile))
            {
                reported = ReportedJob.Load(jobs, parse.GetValue(job)!);
            }
            var text = Formats[parse.GetValue(format)!](reported);
            if (file is not null)
            {
                await File.WriteAllTextAsync(file, text, ct);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"wrote {file}");
            }
            else
            {
                await parse.InvocationConfiguration.Output.WriteAsync(text);
            }
            return 0;
        }));
        return command;
    }
}
