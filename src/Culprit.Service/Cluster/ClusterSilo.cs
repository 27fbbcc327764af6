using System.Net;
using System.Net.Sockets;
using Culprit.Service.Http;
using Culprit.Service.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Culprit.Service.Cluster;

/// <summary>
/// A node that joins a cluster (<c>--cluster</c>): Orleans membership and reminders in the shared
/// PostgreSQL database (ADO.NET providers), and the job store there too, so that a job's grain that
/// comes back on another node finds its outcomes and resumes them.
/// </summary>
public static class ClusterSilo
{
    public static void Configure(IHostApplicationBuilder builder, ServiceOptions options, string connectionString)
    {
        ClusterDatabase.PrepareAsync(connectionString).GetAwaiter().GetResult();
        builder.Services.AddSingleton(JobStores.Postgres(connectionString));
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (SiloSetup.ClusterId, SiloSetup.ServiceId));
            // Nodes that serve loopback only are on one machine and talk over loopback; otherwise
            // each advertises this machine's address (and listens on all of them).
            if (ListenAddresses.Split(options.Urls).All(ListenAddresses.IsLoopback))
            {
                silo.ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort());
            }
            else
            {
                silo.ConfigureEndpoints(FreePort(), FreePort(), listenOnAnyHostAddress: true);
            }
            silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (ClusterDatabase.Invariant, connectionString));
            silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (ClusterDatabase.Invariant, connectionString));
            // A node killed mid-job is declared dead after about three missed 3 s probes (Orleans'
            // defaults take about a minute); its jobs' wake reminders then fire on the live nodes.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(3);
                o.NumMissedProbesLimit = 3;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
                o.DefunctSiloExpiration = TimeSpan.FromHours(1);
            });
        });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
