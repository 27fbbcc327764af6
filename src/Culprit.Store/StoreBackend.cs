using System.Data.Common;

namespace Culprit.Store;

/// <summary>
/// What differs between the databases a <see cref="JobStore"/> can live in: how a connection is had,
/// how the schema is made, how a job is locked to one runner and how errors read. The SQL of the
/// store itself is the same on every backend (<c>@name</c> parameters, standard types).
/// </summary>
internal abstract class StoreBackend : IDisposable
{
    /// <summary>The schema's version: 1 the jobs, outcomes and log; 2 the files a job was submitted with.</summary>
    public const int SchemaVersion = 2;

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

    /// <summary>The column type of bytes (SQLite: BLOB, PostgreSQL: BYTEA).</summary>
    public abstract string BytesType { get; }

    /// <summary>
    /// The steps that take a store from version N-1 to N, in order (index 0 makes version 1). A new
    /// store runs them all; an existing store runs the ones after its version, in the transaction
    /// that checks it, so a store is always at one version.
    /// </summary>
    public IReadOnlyList<string> Steps => [Tables, JobFilesTable.Replace("{bytes}", BytesType, StringComparison.Ordinal)];

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

    /// <summary>
    /// Version 2: the files a job was submitted with (a kernel job's config, reproducer and compiler
    /// table), kept with the job so that every node of a cluster can write them into its own work
    /// directory; <c>name</c> is the input (config, repro, compilers), <c>file_name</c> the user's.
    /// </summary>
    private const string JobFilesTable = """
        CREATE TABLE job_files (
            job_id TEXT NOT NULL REFERENCES jobs(id),
            name TEXT NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            content {bytes} NOT NULL,
            PRIMARY KEY (job_id, name));
        """;

    /// <summary>The steps after <paramref name="version"/>, as one script.</summary>
    public string StepsAfter(int version) => string.Concat(Steps.Skip(version));

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
