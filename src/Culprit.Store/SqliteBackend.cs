using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Culprit.Store;

/// <summary>The store in one SQLite file: one connection, used by one caller at a time.</summary>
internal sealed class SqliteBackend : StoreBackend
{
    private readonly SqliteConnection _db;
    private readonly Lock _gate = new();

    private SqliteBackend(SqliteConnection db, string path)
    {
        _db = db;
        FilePath = path;
    }

    public override string Location => FilePath;

    public override string FilePath { get; }

    public static SqliteBackend Open(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (IOException ex)
        {
            throw new StoreException($"cannot create store directory {dir}: {ex.Message}", ex);
        }
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = 5 }.ToString());
        var backend = new SqliteBackend(db, full);
        try
        {
            db.Open();
            Exec(db, "PRAGMA busy_timeout = 5000;");
            Exec(db, "PRAGMA journal_mode = WAL;");
            Exec(db, "PRAGMA synchronous = NORMAL;");
        }
        catch (SqliteException ex)
        {
            db.Dispose();
            throw backend.Translate(ex);
        }
        return backend;
    }

    public override string BytesType => "BLOB";

    public override T Use<T>(Func<DbConnection, T> work)
    {
        lock (_gate)
        {
            return work(_db);
        }
    }

    public override void Migrate()
    {
        // Under the write lock, so that two processes opening a new store at once cannot both create it.
        Exec(_db, "BEGIN IMMEDIATE;");
        try
        {
            var version = Convert.ToInt32(Scalar(_db, "PRAGMA user_version;"));
            var tables = Convert.ToInt32(Scalar(_db, "SELECT count(*) FROM sqlite_master WHERE type = 'table';"));
            if (version == 0 && tables > 0)
            {
                throw new StoreException($"store {FilePath} is not a Culprit store (it holds other tables)");
            }
            if (version > SchemaVersion)
            {
                throw new StoreException($"store {FilePath} was written by a newer Culprit (schema {version})");
            }
            if (version < SchemaVersion)
            {
                Exec(_db, StepsAfter(version) + $"PRAGMA user_version = {SchemaVersion};");
            }
            Exec(_db, "COMMIT;");
        }
        catch
        {
            Exec(_db, "ROLLBACK;");
            throw;
        }
    }

    /// <summary>
    /// An exclusive lock on a file beside the store. The lock file stays when the lock is released:
    /// deleting it would let one runner lock the old file while another creates and locks a new one.
    /// </summary>
    public override IDisposable LockJob(string jobId)
    {
        var path = $"{FilePath}.{jobId}.lock";
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on the open file: the kernel drops it when the process dies.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new StoreException($"job {jobId} is being run by another process (lock {path})", ex);
        }
    }

    public override StoreException Translate(DbException ex) => (ex as SqliteException)?.SqliteErrorCode switch
    {
        5 or 6 => new StoreException($"store {FilePath} is locked by another process", ex),
        11 or 26 => new StoreException($"store {FilePath} is corrupt or not a database", ex),
        _ => new StoreException($"store {FilePath}: {ex.Message.Split('\n')[0]}", ex),
    };

    public override void Dispose() => _db.Dispose();
}
