using Npgsql;

namespace Culprit.Store.Tests;

/// <summary>What only the PostgreSQL store has to do: share a database with other nodes and other applications.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresFixture pg)
{
    [Fact]
    public async Task Nodes_opening_a_new_database_at_once_all_get_one_schema()
    {
        var connectionString = await pg.NewDatabaseAsync();
        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => JobStore.OpenPostgres(connectionString))));
        var id = stores[0].CreateJob("{}", DateTimeOffset.UnixEpoch);
        stores[5].AppendOutcome(id, 0, "{\"n\":0}");
        Assert.Single(stores[3].Outcomes(id));
        foreach (var s in stores)
        {
            s.Dispose();
        }
    }

    [Fact]
    public async Task Two_nodes_cannot_both_store_one_outcome_number()
    {
        var connectionString = await pg.NewDatabaseAsync();
        using var a = JobStore.OpenPostgres(connectionString);
        using var b = JobStore.OpenPostgres(connectionString);
        var id = a.CreateJob("{}", DateTimeOffset.UnixEpoch);
        a.AppendOutcome(id, 0, "{\"by\":\"a\"}");
        var ex = Assert.Throws<StoreException>(() => b.AppendOutcome(id, 0, "{\"by\":\"b\"}"));
        Assert.Contains("already stored", ex.Message);
        Assert.Equal(["{\"by\":\"a\"}"], b.Outcomes(id).Select(o => o.Json));
    }

    [Fact]
    public async Task A_job_lock_goes_with_the_connection_of_a_node_that_died()
    {
        var connectionString = await pg.NewDatabaseAsync();
        using var dead = JobStore.OpenPostgres(connectionString + ";Application Name=dead node");
        using var alive = JobStore.OpenPostgres(connectionString);
        var id = dead.CreateJob("{}", DateTimeOffset.UnixEpoch);
        var held = JobLock.Acquire(dead, id);
        Assert.Throws<StoreException>(() => JobLock.Acquire(alive, id));

        // The dead node's sessions end as when its process is killed: the server drops them.
        // (Its application name tells them apart from the live node's pooled connections.)
        await using (var admin = new NpgsqlConnection(connectionString + ";Pooling=false"))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'dead node';", admin);
            await kill.ExecuteScalarAsync();
        }
        // The server releases a killed session's locks when its backend has exited, a moment later.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                JobLock.Acquire(alive, id).Dispose();
                break;
            }
            catch (StoreException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        held.Dispose();
    }

    [Fact]
    public async Task Another_applications_jobs_table_is_not_taken_over()
    {
        var connectionString = await pg.NewDatabaseAsync();
        await using (var other = new NpgsqlConnection(connectionString))
        {
            await other.OpenAsync();
            await using var cmd = new NpgsqlCommand("CREATE TABLE jobs (x TEXT);", other);
            await cmd.ExecuteNonQueryAsync();
        }
        var ex = Assert.Throws<StoreException>(() => JobStore.OpenPostgres(connectionString));
        Assert.Contains("not a Culprit store", ex.Message);
    }

    [Fact]
    public void A_server_that_is_not_there_is_one_line_naming_it()
    {
        var ex = Assert.Throws<StoreException>(() => JobStore.OpenPostgres("Host=127.0.0.1;Port=1;Database=nowhere;Username=x;Timeout=2"));
        Assert.StartsWith("cannot reach store postgresql://127.0.0.1:1/nowhere", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_bad_connection_string_is_named()
    {
        var ex = Assert.Throws<StoreException>(() => JobStore.OpenPostgres("Hots=x;Nonsense"));
        Assert.StartsWith("bad PostgreSQL connection string", ex.Message);
    }
}
