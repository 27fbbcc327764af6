using Culprit.Service.Dashboard;
using Culprit.Service.Http;
using Culprit.Service.Nodes;
using Culprit.Service.Submissions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Culprit.Service;

/// <summary>One node of the service: an Orleans silo (job grains, this machine's workers) and the HTTP API and dashboard, in one process.</summary>
public static class ServiceApp
{
    public static WebApplication Build(ServiceOptions options)
    {
        ListenAddresses.Check(options);
        if (options.Builds is < 1 or > ServiceOptions.MaxCapacity || options.Vms is < 1 or > ServiceOptions.MaxCapacity)
        {
            throw new Jobs.UsageException($"--builds and --vms must be between 1 and {ServiceOptions.MaxCapacity}");
        }
        Directory.CreateDirectory(options.WorkDir);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = options.WorkDir });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.ClearProviders().AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Culprit", LogLevel.Information).AddFilter("Orleans", LogLevel.Error);
        SiloSetup.Configure(builder, options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new WorkerSlots(options.Builds, options.Vms));
        builder.Services.AddSingleton<JobRunners>();
        builder.Services.AddSingleton<Dispatch.NodeChooser>();
        builder.Services.AddSingleton<NodeTesters>();
        builder.Services.AddSingleton<CallerWatch>();
        Orleans.Hosting.PlacementStrategyExtensions.AddPlacementDirector<Dispatch.NodePlacement, Dispatch.NodePlacementDirector>(builder.Services);
        builder.Services.AddSingleton(new RepositoryCache(options.RepositoriesDir));
        builder.Services.AddSingleton<JobSubmitter>();
        builder.Services.AddSingleton<ServerToken>();
        builder.Services.AddHostedService<NodeReporter>();
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<Access>();
        ApiEndpoints.Map(app);
        DashboardEndpoints.Map(app);
        return app;
    }

    /// <summary>The addresses Kestrel listens on once started (a port 0 in <c>--urls</c> resolved).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
}
