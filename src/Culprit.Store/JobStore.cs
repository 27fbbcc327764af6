using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Culprit.Store;

/// <summary>
/// The job store: one SQLite file holding each job's inputs, its append-only list of outcomes and
/// its log. Every write is its own transaction, so a kill loses at most what was not yet written.
/// </summary>
public sealed class JobStore : IDisposable
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _db;

    private JobStore(SqliteConnection db, string path)
    {
        _db = db;
        FilePath = path;
    }

    public string FilePath { get; }

    public static string DefaultPath =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x
            ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"), "culprit", "culprit.db");

    /// <summary>Opens (creating when absent) the store at <paramref name="path"/>.</summary>
    public static JobStore Open(string path)
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
        try
        {
            db.Open();
            Exec(db, "PRAGMA busy_timeout = 5000;");
            Exec(db, "PRAGMA journal_mode = WAL;");
            Exec(db, "PRAGMA synchronous = NORMAL;");
            Migrate(db, full);
        }
        catch (SqliteException ex)
        {
            db.Dispose();
            throw Translate(ex, full);
        }
        return new JobStore(db, full);
    }

    private static void Migrate(SqliteConnection db, string path)
    {
        // Under the write lock, so that two processes opening a new store at once cannot both create it.
        Exec(db, "BEGIN IMMEDIATE;");
        try
        {
            var version = Convert.ToInt32(Scalar(db, "PRAGMA user_version;"));
            var tables = Convert.ToInt32(Scalar(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table';"));
            if (version == 0 && tables > 0)
            {
                throw new StoreException($"store {path} is not a Culprit store (it holds other tables)");
            }
            if (version > SchemaVersion)
            {
                throw new StoreException($"store {path} was written by a newer Culprit (schema {version})");
            }
            if (version < SchemaVersion)
            {
                Exec(db, """
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
                    PRAGMA user_version = 1;
                    """);
            }
            Exec(db, "COMMIT;");
        }
        catch
        {
            Exec(db, "ROLLBACK;");
            throw;
        }
    }

    /// <summary>Creates a job with a fresh id and returns it.</summary>
    public string CreateJob(string specJson, DateTimeOffset now)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Write("INSERT INTO jobs (id, spec, state, created_at, updated_at) VALUES ($id, $spec, 'running', $now, $now);",
            ("$id", id), ("$spec", specJson), ("$now", now.ToString("O")));
        return id;
    }

    public JobRecord GetJob(string id) => FindJob(id) ?? throw new StoreException($"no job {id} in store {FilePath}");

    public JobRecord? FindJob(string id)
    {
        var rows = Query("SELECT id, spec, state, result, created_at, updated_at FROM jobs WHERE id = $id;", ReadJob, ("$id", id));
        return rows.Count > 0 ? rows[0] : null;
    }

    public IReadOnlyList<JobRecord> ListJobs() =>
        Query("SELECT id, spec, state, result, created_at, updated_at FROM jobs ORDER BY created_at;", ReadJob);

    public void SetState(string id, string state, string? resultJson, DateTimeOffset now) =>
        Write("UPDATE jobs SET state = $state, result = $result, updated_at = $now WHERE id = $id;",
            ("$id", id), ("$state", state), ("$result", resultJson), ("$now", now.ToString("O")));

    /// <summary>Appends an outcome; <paramref name="sequence"/> must be the next number (0-based).</summary>
    public void AppendOutcome(string id, int sequence, string json) =>
        Write("INSERT INTO outcomes (job_id, seq, outcome) VALUES ($id, $seq, $json);", ("$id", id), ("$seq", sequence), ("$json", json));

    public IReadOnlyList<StoredOutcome> Outcomes(string id) =>
        Query("SELECT seq, outcome FROM outcomes WHERE job_id = $id ORDER BY seq;", r => new StoredOutcome(r.GetInt32(0), r.GetString(1)), ("$id", id));

    public void AppendLog(string id, int outcomes, string text) =>
        Write("INSERT INTO log (job_id, line_no, outcomes, text) VALUES ($id, (SELECT coalesce(max(line_no), -1) + 1 FROM log WHERE job_id = $id), $n, $text);",
            ("$id", id), ("$n", outcomes), ("$text", text));

    public IReadOnlyList<StoredLogLine> Log(string id) =>
        Query("SELECT outcomes, text FROM log WHERE job_id = $id ORDER BY line_no;", r => new StoredLogLine(r.GetInt32(0), r.GetString(1)), ("$id", id));

    /// <summary>Drops log lines written after the last stored outcome (the commit that was under test when the job stopped).</summary>
    public void TrimLogAfter(string id, int outcomes) =>
        Write("DELETE FROM log WHERE job_id = $id AND outcomes > $n;", ("$id", id), ("$n", outcomes));

    public void Dispose() => _db.Dispose();

    private static JobRecord ReadJob(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
        DateTimeOffset.Parse(r.GetString(4), System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(r.GetString(5), System.Globalization.CultureInfo.InvariantCulture));

    private void Write(string sql, params (string Name, object? Value)[] args)
    {
        try
        {
            using var cmd = Command(_db, sql, args);
            cmd.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, FilePath);
        }
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] args)
    {
        try
        {
            using var cmd = Command(_db, sql, args);
            using var reader = cmd.ExecuteReader();
            var list = new List<T>();
            while (reader.Read())
            {
                list.Add(read(reader));
            }
            return list;
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, FilePath);
        }
    }

    private static SqliteCommand Command(SqliteConnection db, string sql, (string Name, object? Value)[] args)
    {
        var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return cmd;
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = Command(db, sql, []);
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection db, string sql)
    {
        using var cmd = Command(db, sql, []);
        return cmd.ExecuteScalar();
    }

    private static StoreException Translate(SqliteException ex, string path) => ex.SqliteErrorCode switch
    {
        5 or 6 => new StoreException($"store {path} is locked by another process", ex),
        11 or 26 => new StoreException($"store {path} is corrupt or not a database", ex),
        _ => new StoreException($"store {path}: {ex.Message.Split('\n')[0]}", ex),
    };
}
