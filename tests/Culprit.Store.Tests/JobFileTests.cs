using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Culprit.Store.Tests;

/// <summary>
/// The files a job was submitted with are kept with it (any node of a cluster reads them from the
/// store), and a store made before they were (schema 1) is upgraded in place, its jobs kept.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class JobFileTests(PostgresFixture pg) : IDisposable
{
    /// <summary>The tables of schema 1, as stores written before job files have them.</summary>
    private const string SchemaOne = """
        CREATE TABLE jobs (id TEXT PRIMARY KEY, spec TEXT NOT NULL, state TEXT NOT NULL, result TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
        CREATE TABLE outcomes (job_id TEXT NOT NULL REFERENCES jobs(id), seq INTEGER NOT NULL, outcome TEXT NOT NULL, PRIMARY KEY (job_id, seq));
        CREATE TABLE log (job_id TEXT NOT NULL REFERENCES jobs(id), line_no INTEGER NOT NULL, outcomes INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (job_id, line_no));
        INSERT INTO jobs VALUES ('0000abcd', '{"repo":"/old"}', 'finished', '{}', '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00');
        INSERT INTO outcomes VALUES ('0000abcd', 0, '{"n":0}');
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"culprit-files-{Guid.NewGuid():N}");

    private string DbPath => Path.Combine(_dir, "jobs.db");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    [Theory]
    [InlineData(Backends.Sqlite)]
    [InlineData(Backends.Postgres)]
    public async Task A_job_s_files_are_stored_with_it_and_read_back_byte_for_byte(string backend)
    {
        var open = await Backends.PlaceAsync(backend, DbPath, pg);
        byte[] config = Encoding.UTF8.GetBytes("CONFIG_KASAN=y\n");
        byte[] repro = [0, 1, 2, 255, 254, 10, 13];
        string id;
        using (var store = open())
        {
            id = store.CreateJob("{}", DateTimeOffset.UnixEpoch, [new JobFile("config", "syz.config", config), new JobFile("repro", "repro.c", repro)]);
            store.CreateJob("{}", DateTimeOffset.UnixEpoch);
        }
        using (var store = open())
        {
            Assert.Equal(
                [new StoredJobFile("config", "syz.config", new JobFile("c", "c", config).Sha256), new StoredJobFile("repro", "repro.c", new JobFile("r", "r", repro).Sha256)],
                store.JobFiles(id));
            Assert.Equal(config, store.JobFileContent(id, "config"));
            Assert.Equal(repro, store.JobFileContent(id, "repro"));
            Assert.Contains("has no file compilers", Assert.Throws<StoreException>(() => store.JobFileContent(id, "compilers")).Message);
        }
    }

    [Fact]
    public void A_file_s_hash_is_the_sha256_of_its_content()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", new JobFile("config", "c", "abc"u8.ToArray()).Sha256);
    }

    [Theory]
    [InlineData(Backends.Sqlite)]
    [InlineData(Backends.Postgres)]
    public async Task A_job_whose_files_cannot_be_stored_is_not_stored(string backend)
    {
        var open = await Backends.PlaceAsync(backend, DbPath, pg);
        using var store = open();
        // Two files under one name break the files' key: the job's row goes with them.
        Assert.Throws<StoreException>(() => store.CreateJob("{}", DateTimeOffset.UnixEpoch, [new JobFile("config", "a", [1]), new JobFile("config", "b", [2])]));
        Assert.Empty(store.ListJobs());
    }

    [Fact]
    public void A_schema_1_sqlite_store_is_upgraded_and_keeps_its_jobs()
    {
        Directory.CreateDirectory(_dir);
        using (var old = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            old.Open();
            Exec(old, SchemaOne + "PRAGMA user_version = 1;");
        }
        AssertUpgraded(() => JobStore.Open(DbPath));
        using var db = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        db.Open();
        using var version = db.CreateCommand();
        version.CommandText = "PRAGMA user_version;";
        Assert.Equal(2L, version.ExecuteScalar());
    }

    [Fact]
    public async Task A_schema_1_postgres_store_is_upgraded_and_keeps_its_jobs()
    {
        var connectionString = await pg.NewDatabaseAsync();
        await using (var old = new NpgsqlConnection(connectionString))
        {
            old.Open();
            Exec(old, SchemaOne + "CREATE TABLE culprit_schema (version INTEGER NOT NULL); INSERT INTO culprit_schema VALUES (1);");
        }
        AssertUpgraded(() => JobStore.OpenPostgres(connectionString));
        await using var db = new NpgsqlConnection(connectionString);
        db.Open();
        await using var version = new NpgsqlCommand("SELECT max(version) FROM culprit_schema;", db);
        Assert.Equal(2, version.ExecuteScalar());
    }

    private static void AssertUpgraded(Func<JobStore> open)
    {
        using var store = open();
        Assert.Equal("{\"repo\":\"/old\"}", store.GetJob("0000abcd").SpecJson);
        Assert.Single(store.Outcomes("0000abcd"));
        Assert.Empty(store.JobFiles("0000abcd"));
        var id = store.CreateJob("{}", DateTimeOffset.UnixEpoch, [new JobFile("repro", "r.syz", [42])]);
        Assert.Equal([42], store.JobFileContent(id, "repro"));
        // Opened again, the upgraded store is at the current version: nothing is made twice.
        using var again = open();
        Assert.Single(again.JobFiles(id));
    }

    private static void Exec(DbConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
