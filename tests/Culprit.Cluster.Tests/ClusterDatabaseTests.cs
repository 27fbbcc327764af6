using System.Net;
using System.Net.Sockets;
using Culprit.Service.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;

namespace Culprit.Cluster.Tests;

public sealed class ClusterDatabaseTests
{
    [Fact]
    public async Task Nodes_preparing_one_database_at_once_make_every_Orleans_query_once()
    {
        await using var pg = await PostgresServer.StartAsync("cluster_prepare");

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => ClusterDatabase.PrepareAsync(pg.ConnectionString))));
        await ClusterDatabase.PrepareAsync(pg.ConnectionString);

        var keys = await ColumnAsync(pg.ConnectionString, "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey;");
        Assert.Equal(
        [
            "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "DeleteMembershipTableEntriesKey", "DeleteReminderRowKey",
            "DeleteReminderRowsKey", "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey",
            "MembershipReadRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "ReadReminderRowsKey",
            "UpdateIAmAlivetimeKey", "UpdateMembershipKey", "UpsertReminderRowKey",
        ], keys);
    }

    [Fact]
    public async Task A_silo_on_the_prepared_database_joins_the_cluster_and_keeps_reminders_there()
    {
        await using var pg = await PostgresServer.StartAsync("cluster_silo");
        await ClusterDatabase.PrepareAsync(pg.ConnectionString);
        using var host = Host.CreateDefaultBuilder()
            .UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("test-cluster", "test-service"));
                silo.ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort());
                silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (ClusterDatabase.Invariant, pg.ConnectionString));
                silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (ClusterDatabase.Invariant, pg.ConnectionString));
            })
            .Build();
        await host.StartAsync();
        try
        {
            // Status 3 is Active: the silo wrote itself into the membership table and read it back.
            Assert.Equal(["3"], await ColumnAsync(pg.ConnectionString, "SELECT Status::text FROM OrleansMembershipTable WHERE DeploymentId = 'test-cluster';"));

            var reminders = host.Services.GetRequiredService<IReminderTable>();
            var grain = GrainId.Create("job", "0123abcd");
            await reminders.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "wake", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) });
            var rows = await reminders.ReadRows(grain);
            Assert.Equal("wake", Assert.Single(rows.Reminders).ReminderName);
            Assert.Equal(["wake"], await ColumnAsync(pg.ConnectionString, "SELECT ReminderName FROM OrleansRemindersTable WHERE ServiceId = 'test-service';"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_database_that_is_not_there_is_one_line_naming_it()
    {
        var ex = await Assert.ThrowsAsync<Jobs.UsageException>(() =>
            ClusterDatabase.PrepareAsync("Host=127.0.0.1;Port=1;Database=nowhere;Username=x;Password=secret;Timeout=2"));
        Assert.StartsWith("cannot reach cluster database postgresql://127.0.0.1:1/nowhere", ex.Message);
        Assert.DoesNotContain("secret", ex.Message);
    }

    private static async Task<List<string>> ColumnAsync(string connectionString, string sql)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, db);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<string>();
        while (await r.ReadAsync())
        {
            list.Add(r.GetString(0));
        }
        return list;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
