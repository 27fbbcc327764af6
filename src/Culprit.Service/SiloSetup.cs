using System.Net;
using System.Net.Sockets;
using Culprit.Jobs;
using Culprit.Service.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Culprit.Service;

/// <summary>
/// The one place the node's Orleans silo is configured: which clustering and reminders it uses and
/// where jobs are stored. Alone (no <c>--cluster</c>): localhost clustering, in-memory reminders and
/// the SQLite store under <c>--work</c>. With <c>--cluster</c>: every node on the same database.
/// </summary>
public static class SiloSetup
{
    public const string ClusterId = "culprit";
    public const string ServiceId = "culprit";

    public static void Configure(IHostApplicationBuilder builder, ServiceOptions options)
    {
        if (options.Cluster is { } cluster)
        {
            Cluster.ClusterSilo.Configure(builder, options, cluster);
            return;
        }
        builder.Services.AddSingleton(new JobStores(options.StorePath));
        builder.UseOrleans(silo =>
        {
            // Free ports: several lone nodes (tests, users) may run on one machine.
            silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: ServiceId, clusterId: ClusterId);
            silo.UseInMemoryReminderService();
        });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
