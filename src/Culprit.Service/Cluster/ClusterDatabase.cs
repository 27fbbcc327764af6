using Culprit.Jobs;
using Npgsql;

namespace Culprit.Service.Cluster;

/// <summary>
/// Readies a cluster's PostgreSQL database before a node's silo starts: the Orleans clustering and
/// reminder tables (<c>OrleansPostgres.sql</c>, which the Orleans packages do not ship) made once,
/// under an advisory lock so that nodes starting together cannot both make them, and the job store's
/// tables. A database that already has them is left as it is.
/// </summary>
public static class ClusterDatabase
{
    /// <summary>The ADO.NET provider name Orleans loads the PostgreSQL driver by.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>'CULP' and 'ORLN': a key no other application's advisory locks use.</summary>
    private const long SchemaLockKey = 0x43554C50_4F524C4EL;

    public static async Task PrepareAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var location = Describe(connectionString);
        try
        {
            await using var db = new NpgsqlConnection(connectionString);
            await db.OpenAsync(cancellationToken);
            await using var tx = await db.BeginTransactionAsync(cancellationToken);
            await ExecAsync(db, tx, $"SELECT pg_advisory_xact_lock({SchemaLockKey});", cancellationToken);
            await using (var check = new NpgsqlCommand("SELECT to_regclass('orleansquery') IS NOT NULL;", db, tx))
            {
                if (await check.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    await ExecAsync(db, tx, Schema(), cancellationToken);
                }
            }
            await tx.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex)
        {
            throw new UsageException($"cluster database {location}: {ex.MessageText}");
        }
        catch (NpgsqlException ex)
        {
            throw new UsageException($"cannot reach cluster database {location}: {(ex.InnerException ?? ex).Message.Split('\n')[0]}");
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"bad --cluster connection string: {ex.Message.Split('\n')[0]}");
        }
    }

    /// <summary>Host, port and database of a connection string, for messages (never its password).</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"postgresql://{b.Host}:{b.Port}/{b.Database}";
        }
        catch (ArgumentException)
        {
            return "(unreadable connection string)";
        }
    }

    private static string Schema()
    {
        using var stream = typeof(ClusterDatabase).Assembly.GetManifestResourceStream("Culprit.Service.Cluster.OrleansPostgres.sql")
            ?? throw new InvalidOperationException("OrleansPostgres.sql is not embedded in Culprit.Service");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task ExecAsync(NpgsqlConnection db, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, db, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
