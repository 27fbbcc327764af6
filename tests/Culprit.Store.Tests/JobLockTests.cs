namespace Culprit.Store.Tests;

[Collection(PostgresCollection.Name)]
public sealed class JobLockTests(PostgresFixture pg) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"culprit-lock-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    [Fact]
    public void The_lock_file_stays_after_the_lock_is_released_and_can_be_taken_again()
    {
        using var store = JobStore.Open(Path.Combine(_dir, "jobs.db"));
        var id = store.CreateJob("{}", DateTimeOffset.UnixEpoch);

        JobLock.Acquire(store, id).Dispose();

        Assert.True(File.Exists($"{store.FilePath}.{id}.lock"));
        using var again = JobLock.Acquire(store, id);
    }

    [Theory]
    [InlineData(Backends.Sqlite)]
    [InlineData(Backends.Postgres)]
    public async Task Runners_racing_for_one_job_never_hold_it_at_the_same_time(string backend)
    {
        using var store = (await Backends.PlaceAsync(backend, Path.Combine(_dir, "jobs.db"), pg))();
        var id = store.CreateJob("{}", DateTimeOffset.UnixEpoch);
        var holders = 0;
        var overlaps = 0;
        var taken = 0;
        var until = DateTime.UtcNow.AddSeconds(3);

        // Each runner takes the lock whenever it can, holds it briefly and lets go: with a lock file
        // deleted on release, one runner can lock the old file while another locks a new one.
        var runners = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            while (DateTime.UtcNow < until)
            {
                JobLock held;
                try
                {
                    held = JobLock.Acquire(store, id);
                }
                catch (StoreException)
                {
                    continue;
                }
                using (held)
                {
                    if (Interlocked.Increment(ref holders) > 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }
                    Interlocked.Increment(ref taken);
                    Thread.SpinWait(200);
                    Interlocked.Decrement(ref holders);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(runners);

        Assert.True(taken > 100, $"the runners took the lock only {taken} times");
        Assert.Equal(0, overlaps);
    }
}
