using Npgsql;

namespace Culprit.Store.Tests;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task A_fresh_server_takes_connections_on_its_port_and_is_gone_after_dispose()
    {
        string dataDir;
        int port;
        await using (var pg = await PostgresServer.StartAsync("fixture_check"))
        {
            dataDir = pg.DataDirectory;
            port = pg.Port;
            await using var db = new NpgsqlConnection(pg.ConnectionString);
            await db.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT current_database(), current_setting('server_version_num')::int", db);
            await using var r = await cmd.ExecuteReaderAsync();
            Assert.True(await r.ReadAsync());
            Assert.Equal("fixture_check", r.GetString(0));
            Assert.InRange(r.GetInt32(1), 150000, 159999);
        }

        Assert.False(Directory.Exists(dataDir));
        NpgsqlConnection.ClearAllPools();
        await using var gone = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=2;Pooling=false");
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => gone.OpenAsync());
    }
}
