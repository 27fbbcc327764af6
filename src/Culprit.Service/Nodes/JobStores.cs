using Culprit.Store;

namespace Culprit.Service.Nodes;

/// <summary>
/// Where this node's jobs are stored: the SQLite file under <c>--work</c> (alone) or the cluster's
/// PostgreSQL database (<c>--cluster</c>). Each user (a request, a running job) opens its own store:
/// one SQLite connection is not shared between threads, and WAL mode lets them read while a job
/// writes; on PostgreSQL an open store is a handle on Npgsql's pool.
/// </summary>
public sealed class JobStores
{
    private readonly Func<JobStore> _open;

    public JobStores(string path)
    {
        Path = path;
        _open = () => JobStore.Open(path);
    }

    private JobStores(string location, Func<JobStore> open)
    {
        Path = location;
        _open = open;
    }

    /// <summary>The store's file, or the cluster database's host and database.</summary>
    public string Path { get; }

    /// <summary>The jobs of every node of a cluster, in its PostgreSQL database.</summary>
    public static JobStores Postgres(string connectionString) =>
        new(Cluster.ClusterDatabase.Describe(connectionString), () => JobStore.OpenPostgres(connectionString));

    public JobStore Open() => _open();
}
