namespace Culprit.Store.Tests;

[Collection(PostgresCollection.Name)]
public sealed class JobStoreTests(PostgresFixture pg) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"culprit-store-{Guid.NewGuid():N}");

    private string DbPath => Path.Combine(_dir, "sub", "jobs.db");

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
    public async Task A_job_its_outcomes_and_log_survive_reopening_the_store(string backend)
    {
        var open = await Backends.PlaceAsync(backend, DbPath, pg);
        string id;
        using (var store = open())
        {
            id = store.CreateJob("{\"repo\":\"/r\"}", DateTimeOffset.UnixEpoch);
            store.AppendOutcome(id, 0, "{\"a\":1}");
            store.AppendOutcome(id, 1, "{\"a\":2}");
            store.AppendLog(id, 0, "line one");
            store.AppendLog(id, 2, "line two");
        }
        using (var store = open())
        {
            var job = store.GetJob(id);
            Assert.Equal("running", job.State);
            Assert.Equal("{\"repo\":\"/r\"}", job.SpecJson);
            Assert.Equal(["{\"a\":1}", "{\"a\":2}"], store.Outcomes(id).Select(o => o.Json));
            Assert.Equal(["line one", "line two"], store.Log(id).Select(l => l.Text));
        }
    }

    [Theory]
    [InlineData(Backends.Sqlite)]
    [InlineData(Backends.Postgres)]
    public async Task Log_lines_of_an_unfinished_test_are_trimmed(string backend)
    {
        var open = await Backends.PlaceAsync(backend, DbPath, pg);
        using var store = open();
        var id = store.CreateJob("{}", DateTimeOffset.UnixEpoch);
        store.AppendLog(id, 0, "a");
        store.AppendLog(id, 1, "b");
        store.AppendLog(id, 2, "c");
        store.TrimLogAfter(id, 1);
        Assert.Equal(["a", "b"], store.Log(id).Select(l => l.Text));
    }

    [Theory]
    [InlineData(Backends.Sqlite)]
    [InlineData(Backends.Postgres)]
    public async Task An_outcome_number_cannot_be_written_twice(string backend)
    {
        var open = await Backends.PlaceAsync(backend, DbPath, pg);
        using var store = open();
        var id = store.CreateJob("{}", DateTimeOffset.UnixEpoch);
        store.AppendOutcome(id, 0, "{}");
        Assert.Throws<StoreException>(() => store.AppendOutcome(id, 0, "{}"));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_reported_as_corrupt()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        File.WriteAllText(DbPath, new string('x', 5000));
        var ex = Assert.Throws<StoreException>(() => JobStore.Open(DbPath));
        Assert.Contains("corrupt or not a database", ex.Message);
    }

    [Fact]
    public void Another_applications_sqlite_file_is_not_taken_over()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            other.Open();
            using var cmd = other.CreateCommand();
            cmd.CommandText = "CREATE TABLE notes (x TEXT);";
            cmd.ExecuteNonQuery();
        }
        var ex = Assert.Throws<StoreException>(() => JobStore.Open(DbPath));
        Assert.Contains("not a Culprit store", ex.Message);
    }

    [Theory]
    [InlineData(Backends.Sqlite)]
    [InlineData(Backends.Postgres)]
    public async Task An_unknown_job_is_named(string backend)
    {
        var open = await Backends.PlaceAsync(backend, DbPath, pg);
        using var store = open();
        var ex = Assert.Throws<StoreException>(() => store.GetJob("abc"));
        Assert.Contains("no job abc", ex.Message);
    }

    [Theory]
    [InlineData(Backends.Sqlite)]
    [InlineData(Backends.Postgres)]
    public async Task A_job_cannot_be_run_by_two_processes_at_once(string backend)
    {
        var open = await Backends.PlaceAsync(backend, DbPath, pg);
        using var store = open();
        var id = store.CreateJob("{}", DateTimeOffset.UnixEpoch);
        using var first = JobLock.Acquire(store, id);
        var ex = Assert.Throws<StoreException>(() => JobLock.Acquire(store, id));
        Assert.Contains("being run by another process", ex.Message);
    }
}
