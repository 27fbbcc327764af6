using System.Data.Common;
using System.Security.Cryptography;

namespace Culprit.Store;

/// <summary>
/// The job store: each job's inputs, its append-only list of outcomes and its log, in one SQLite
/// file (<see cref="Open"/>, one machine) or in a PostgreSQL database (<see cref="OpenPostgres"/>,
/// shared by the nodes of a cluster). Every write is its own transaction, so a kill loses at most
/// what was not yet written; an outcome number is stored at most once per job.
/// </summary>
public sealed class JobStore : IDisposable
{
    private readonly StoreBackend _backend;

    private JobStore(StoreBackend backend) => _backend = backend;

    /// <summary>The store's file; a PostgreSQL store has none.</summary>
    public string FilePath => _backend.FilePath ?? throw new InvalidOperationException($"store {Location} is not a file");

    /// <summary>Where the store is, for messages: its file or its PostgreSQL host and database.</summary>
    public string Location => _backend.Location;

    public static string DefaultPath =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x
            ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"), "culprit", "culprit.db");

    /// <summary>Opens (creating when absent) the SQLite store at <paramref name="path"/>.</summary>
    public static JobStore Open(string path) => Migrated(SqliteBackend.Open(path));

    /// <summary>Opens the store in a PostgreSQL database (making its tables when absent).</summary>
    public static JobStore OpenPostgres(string connectionString) => Migrated(PostgresBackend.Open(connectionString));

    private static JobStore Migrated(StoreBackend backend)
    {
        try
        {
            backend.Migrate();
        }
        catch (DbException ex)
        {
            backend.Dispose();
            throw backend.Translate(ex);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
        return new JobStore(backend);
    }

    /// <summary>Takes the lock that keeps a job to one runner (see <see cref="JobLock"/>).</summary>
    internal IDisposable LockJob(string jobId)
    {
        try
        {
            return _backend.LockJob(jobId);
        }
        catch (DbException ex)
        {
            throw _backend.Translate(ex);
        }
    }

    /// <summary>
    /// Creates a job with a fresh id and returns it; <paramref name="files"/> (the files it was
    /// submitted with) are stored in the same transaction: a job is never seen without them.
    /// </summary>
    public string CreateJob(string specJson, DateTimeOffset now, IReadOnlyList<JobFile>? files = null)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        try
        {
            _backend.Use(db =>
            {
                using var tx = db.BeginTransaction();
                using (var cmd = Command(db, "INSERT INTO jobs (id, spec, state, created_at, updated_at) VALUES (@id, @spec, 'running', @now, @now);",
                    [("@id", id), ("@spec", specJson), ("@now", now.ToString("O"))]))
                {
                    cmd.Transaction = tx;
                    cmd.ExecuteNonQuery();
                }
                foreach (var file in files ?? [])
                {
                    using var cmd = Command(db, "INSERT INTO job_files (job_id, name, file_name, sha256, content) VALUES (@id, @name, @file, @sha, @content);",
                        [("@id", id), ("@name", file.Name), ("@file", file.FileName), ("@sha", file.Sha256), ("@content", file.Content)]);
                    cmd.Transaction = tx;
                    cmd.ExecuteNonQuery();
                }
                tx.Commit();
                return 0;
            });
        }
        catch (DbException ex)
        {
            throw _backend.Translate(ex);
        }
        return id;
    }

    /// <summary>The files the job was submitted with, without their content (by name: config, repro, compilers).</summary>
    public IReadOnlyList<StoredJobFile> JobFiles(string id) =>
        Query("SELECT name, file_name, sha256 FROM job_files WHERE job_id = @id ORDER BY name;",
            r => new StoredJobFile(r.GetString(0), r.GetString(1), r.GetString(2)), ("@id", id));

    /// <summary>The content of one of the job's files.</summary>
    public byte[] JobFileContent(string id, string name) =>
        Query("SELECT content FROM job_files WHERE job_id = @id AND name = @name;", r => (byte[])r.GetValue(0), ("@id", id), ("@name", name))
            is [var content] ? content : throw new StoreException($"job {id} has no file {name} in store {Location}");

    public JobRecord GetJob(string id) => FindJob(id) ?? throw new StoreException($"no job {id} in store {Location}");

    public JobRecord? FindJob(string id)
    {
        var rows = Query("SELECT id, spec, state, result, created_at, updated_at FROM jobs WHERE id = @id;", ReadJob, ("@id", id));
        return rows.Count > 0 ? rows[0] : null;
    }

    public IReadOnlyList<JobRecord> ListJobs() =>
        Query("SELECT id, spec, state, result, created_at, updated_at FROM jobs ORDER BY created_at;", ReadJob);

    public void SetState(string id, string state, string? resultJson, DateTimeOffset now) =>
        Write("UPDATE jobs SET state = @state, result = @result, updated_at = @now WHERE id = @id;",
            ("@id", id), ("@state", state), ("@result", resultJson), ("@now", now.ToString("O")));

    /// <summary>Appends an outcome; <paramref name="sequence"/> must be the next number (0-based).</summary>
    public void AppendOutcome(string id, int sequence, string json) =>
        Write("INSERT INTO outcomes (job_id, seq, outcome) VALUES (@id, @seq, @json);", ("@id", id), ("@seq", sequence), ("@json", json));

    public IReadOnlyList<StoredOutcome> Outcomes(string id) =>
        Query("SELECT seq, outcome FROM outcomes WHERE job_id = @id ORDER BY seq;", r => new StoredOutcome(r.GetInt32(0), r.GetString(1)), ("@id", id));

    public void AppendLog(string id, int outcomes, string text) =>
        Write("INSERT INTO log (job_id, line_no, outcomes, text) VALUES (@id, (SELECT coalesce(max(line_no), -1) + 1 FROM log WHERE job_id = @id), @n, @text);",
            ("@id", id), ("@n", outcomes), ("@text", text));

    public IReadOnlyList<StoredLogLine> Log(string id) =>
        Query("SELECT outcomes, text FROM log WHERE job_id = @id ORDER BY line_no;", r => new StoredLogLine(r.GetInt32(0), r.GetString(1)), ("@id", id));

    /// <summary>Drops log lines written after the last stored outcome (the commit that was under test when the job stopped).</summary>
    public void TrimLogAfter(string id, int outcomes) =>
        Write("DELETE FROM log WHERE job_id = @id AND outcomes > @n;", ("@id", id), ("@n", outcomes));

    public void Dispose() => _backend.Dispose();

    private static JobRecord ReadJob(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
        DateTimeOffset.Parse(r.GetString(4), System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(r.GetString(5), System.Globalization.CultureInfo.InvariantCulture));

    private void Write(string sql, params (string Name, object? Value)[] args)
    {
        try
        {
            _backend.Use(db =>
            {
                using var cmd = Command(db, sql, args);
                return cmd.ExecuteNonQuery();
            });
        }
        catch (DbException ex)
        {
            throw _backend.Translate(ex);
        }
    }

    private List<T> Query<T>(string sql, Func<DbDataReader, T> read, params (string Name, object? Value)[] args)
    {
        try
        {
            return _backend.Use(db =>
            {
                using var cmd = Command(db, sql, args);
                using var reader = cmd.ExecuteReader();
                var list = new List<T>();
                while (reader.Read())
                {
                    list.Add(read(reader));
                }
                return list;
            });
        }
        catch (DbException ex)
        {
            throw _backend.Translate(ex);
        }
    }

    private static DbCommand Command(DbConnection db, string sql, (string Name, object? Value)[] args)
    {
        var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }
}
