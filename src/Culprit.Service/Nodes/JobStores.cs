using Culprit.Store;

namespace Culprit.Service.Nodes;

/// <summary>
/// Where this node's jobs are stored. Each user (a request, a running job) opens its own connection:
/// one SQLite connection is not shared between threads, and WAL mode lets them read while a job writes.
/// </summary>
public sealed class JobStores(string path)
{
    public string Path { get; } = path;

    public JobStore Open() => JobStore.Open(Path);
}
