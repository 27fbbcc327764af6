using System.CommandLine;
using Culprit.Cli.Remote;
using Culprit.Service;
using Culprit.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Culprit.Cli.Commands;

/// <summary>
/// <c>culprit serve</c>: one node of the bisection service (an Orleans silo with this machine's
/// worker capacity, the HTTP API and the dashboard). Alone it needs nothing else installed.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "where to listen (';'-separated); other than loopback only with --token-file", DefaultValueFactory = _ => ServiceOptions.DefaultUrls };
        var cluster = new Option<string?>("--cluster") { Description = "PostgreSQL connection string shared by the cluster's nodes (default: run alone)" };
        var builds = new Option<int>("--builds") { Description = "jobs this node builds and tests at once", DefaultValueFactory = _ => 2 };
        var vms = new Option<int>("--vms") { Description = "QEMU VMs this node runs at once (kernel jobs)", DefaultValueFactory = _ => 2 };
        var work = new Option<string>("--work") { Description = "this node's directory: job store (alone), worktrees, fetched repositories", DefaultValueFactory = _ => DefaultWorkDir };
        var tokenFile = ServerOptions.TokenFile();
        tokenFile.Description = "file holding the bearer token every request must carry (required to listen beyond loopback)";
        var command = new Command("serve", "Run a node of the bisection service: HTTP API, dashboard and workers.") { urls, cluster, builds, vms, work, tokenFile };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse, async () =>
        {
            var options = new ServiceOptions
            {
                Urls = parse.GetValue(urls)!,
                Cluster = parse.GetValue(cluster),
                Builds = parse.GetValue(builds),
                Vms = parse.GetValue(vms),
                WorkDir = Path.GetFullPath(parse.GetValue(work)!),
                Token = ServerOptions.ReadToken(parse.GetValue(tokenFile)),
                Testers = (dir, images) => Jobs.Testers.Testers.InWorkRoot(dir, images, CrashParsing.Parse),
            };
            await using var app = ServiceApp.Build(options);
            await app.StartAsync(ct);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"culprit serve: listening on {string.Join(' ', ServiceApp.Addresses(app))} (work {options.WorkDir}, builds {options.Builds}, vms {options.Vms})");
            await output.FlushAsync(ct);
            var stopped = new TaskCompletionSource();
            using (ct.Register(() => stopped.TrySetResult()))
            {
                await Task.WhenAny(stopped.Task, app.WaitForShutdownAsync(CancellationToken.None));
            }
            // Unfinished jobs stay "running" in the store: the next start of this node resumes them.
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await app.StopAsync(grace.Token);
            return 0;
        }));
        return command;
    }

    private static string DefaultWorkDir => Path.Combine(Path.GetDirectoryName(JobStore.DefaultPath)!, "service");
}
