using System.Data.Common;

namespace Culprit.Store;

/// <summary>
/// What differs between the databases a <see cref="JobStore"/> can live in: how a connection is had,
/// how the schema is made, how a job is locked to one runner and how errors read. The SQL of the
/// store itself is the same on every backend (<c>@name</c> parameters, standard types).
/// </summary>
internal abstract class StoreBackend : IDisposable
{
    public const int SchemaVersion = 1;

    /// <summary>Where the store is, for messages: a file path or a PostgreSQL host and database.</summary>
    public abstract string Location { get; }

    /// <summary>The store's file, or null when it is not a file.</summary>
    public abstract string? FilePath { get; }

    /// <summary>Runs <paramref name="work"/> on a connection only it uses for the time being.</summary>
    public abstract T Use<T>(Func<DbConnection, T> work);

    /// <summary>Creates or checks the schema; safe when several processes open a new store at once.</summary>
    public abstract void Migrate();

    /// <summary>Takes the job's run lock or throws <see cref="StoreException"/>; the lock goes with the process.</summary>
    public abstract IDisposable LockJob(string jobId);

    /// <summary>The one-line error for a database failure.</summary>
    public abstract StoreException Translate(DbException ex);

    public abstract void Dispose();

    /// <summary>The tables, the same on every backend (timestamps are ISO 8601 text).</summary>
    public const string Tables = """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            spec TEXT NOT NULL,
            state TEXT NOT NULL,
            result TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE outcomes (
            job_id TEXT NOT NULL REFERENCES jobs(id),
            seq INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            PRIMARY KEY (job_id, seq));
        CREATE TABLE log (
            job_id TEXT NOT NULL REFERENCES jobs(id),
            line_no INTEGER NOT NULL,
            outcomes INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (job_id, line_no));
        """;

    public static void Exec(DbConnection db, string sql, DbTransaction? tx = null)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        cmd.ExecuteNonQuery();
    }

    public static object? Scalar(DbConnection db, string sql, DbTransaction? tx = null)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd.ExecuteScalar();
    }
}
