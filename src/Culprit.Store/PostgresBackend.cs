using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Culprit.Store;

/// <summary>
/// The store in a PostgreSQL database shared by the nodes of a cluster: a pooled connection per
/// call (callers on many threads; Npgsql's pool is per connection string and process, so opening a
/// store per request costs no new connection), the schema made under an advisory lock once per
/// process, and a job's run lock as a session advisory lock, which the server drops when the
/// holder's connection dies with its node.
/// </summary>
internal sealed class PostgresBackend : StoreBackend
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Migrated = new();

    /// <summary>High 32 bits of every Culprit advisory lock key ('CULP'), so they do not meet other applications' keys.</summary>
    private const long KeySpace = 0x43554C50L << 32;
    private const long MigrationKey = KeySpace | 0xFFFFFFFFL;

    private readonly string _connectionString;

    private PostgresBackend(string connectionString, string location)
    {
        _connectionString = connectionString;
        Location = location;
    }

    public override string Location { get; }

    public override string? FilePath => null;

    public static PostgresBackend Open(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StoreException($"bad PostgreSQL connection string: {ex.Message.Split('\n')[0]}", ex);
        }
        var location = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
        return new PostgresBackend(builder.ConnectionString, location);
    }

    public override string BytesType => "BYTEA";

    public override T Use<T>(Func<DbConnection, T> work)
    {
        using var db = Connect();
        return work(db);
    }

    public override void Migrate()
    {
        if (Migrated.ContainsKey(_connectionString))
        {
            return;
        }
        using var db = Connect();
        using var tx = db.BeginTransaction();
        // Every node of a new cluster opens the store at once; one of them makes the tables.
        Exec(db, $"SELECT pg_advisory_xact_lock({MigrationKey});", tx);
        if (Scalar(db, "SELECT to_regclass('culprit_schema') IS NOT NULL;", tx) is true)
        {
            var version = Convert.ToInt32(Scalar(db, "SELECT max(version) FROM culprit_schema;", tx), CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
            {
                throw new StoreException($"store {Location} was written by a newer Culprit (schema {version})");
            }
            if (version < SchemaVersion)
            {
                Exec(db, StepsAfter(version) + $"UPDATE culprit_schema SET version = {SchemaVersion};", tx);
            }
        }
        else
        {
            if (Scalar(db, "SELECT coalesce(to_regclass('jobs'), to_regclass('outcomes'), to_regclass('log')) IS NOT NULL;", tx) is true)
            {
                throw new StoreException($"store {Location} is not a Culprit store (it holds other tables named jobs, outcomes or log)");
            }
            Exec(db, StepsAfter(0) + $"CREATE TABLE culprit_schema (version INTEGER NOT NULL); INSERT INTO culprit_schema VALUES ({SchemaVersion});", tx);
        }
        tx.Commit();
        Migrated[_connectionString] = true;
    }

    public override IDisposable LockJob(string jobId)
    {
        var db = Connect();
        try
        {
            using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key);", db);
            cmd.Parameters.AddWithValue("key", JobKey(jobId));
            if (cmd.ExecuteScalar() is not true)
            {
                throw new StoreException($"job {jobId} is being run by another process (advisory lock in {Location})");
            }
            return new AdvisoryLock(db, JobKey(jobId));
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>A job's lock key: its id's 32 bits when it is Culprit's 8 hex digits (no two jobs share one), else a hash.</summary>
    private static long JobKey(string jobId) =>
        KeySpace | (jobId.Length == 8 && uint.TryParse(jobId, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var n)
            ? n
            : BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(jobId))));

    public override StoreException Translate(DbException ex) => ex switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg =>
            new StoreException($"store {Location}: already stored ({pg.ConstraintName})", ex),
        PostgresException pg => new StoreException($"store {Location}: {pg.MessageText}", ex),
        _ => new StoreException($"cannot reach store {Location}: {(ex.InnerException ?? ex).Message.Split('\n')[0]}", ex),
    };

    /// <summary>Nothing to release: connections go back to Npgsql's pool after each call.</summary>
    public override void Dispose()
    {
    }

    private NpgsqlConnection Connect()
    {
        var db = new NpgsqlConnection(_connectionString);
        try
        {
            db.Open();
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>Holds the lock's connection; unlocks before the connection goes back to the pool.</summary>
    private sealed class AdvisoryLock(NpgsqlConnection db, long key) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                using var cmd = new NpgsqlCommand("SELECT pg_advisory_unlock(@key);", db);
                cmd.Parameters.AddWithValue("key", key);
                cmd.ExecuteScalar();
            }
            catch (NpgsqlException)
            {
                // The connection broke: the server dropped the lock with the session.
            }
            finally
            {
                db.Dispose();
            }
        }
    }
}
