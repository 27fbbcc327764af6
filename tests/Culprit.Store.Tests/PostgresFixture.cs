using Npgsql;

namespace Culprit.Store.Tests;

/// <summary>One PostgreSQL server for the store tests; each test takes a fresh database on it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("the server is not started");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync("postgres_fixture");

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A new empty database; returns its connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"t_{Guid.NewGuid():N}"[..14];
        await Server.CreateDatabaseAsync(name);
        return Server.ConnectionStringFor(name);
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

/// <summary>Where a store test keeps its store: a SQLite file or a fresh PostgreSQL database.</summary>
public static class Backends
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>Opens the same store again each time it is called.</summary>
    public static async Task<Func<JobStore>> PlaceAsync(string backend, string sqlitePath, PostgresFixture pg)
    {
        if (backend == Sqlite)
        {
            return () => JobStore.Open(sqlitePath);
        }
        var connectionString = await pg.NewDatabaseAsync();
        return () => JobStore.OpenPostgres(connectionString);
    }
}
