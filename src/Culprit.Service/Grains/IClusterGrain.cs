namespace Culprit.Service.Grains;

/// <summary>
/// Where nodes say what they have and what they do (every few seconds), for <c>GET /api/cluster</c>
/// and the cluster page. Held in memory: if its node dies it comes back elsewhere and is refilled
/// by the next reports; whether a node is alive is Orleans membership's word, not this list's.
/// </summary>
[Alias("Culprit.Service.Grains.IClusterGrain")]
public interface IClusterGrain : IGrainWithIntegerKey
{
    [Alias("Report")]
    Task ReportAsync(NodeStatus status);

    [Alias("Nodes")]
    Task<IReadOnlyList<NodeStatus>> NodesAsync();
}

/// <summary>
/// One node's capacity and load as it last reported them: <paramref name="Running"/> and <paramref name="Queued"/>
/// are the steps of commit tests holding or waiting for its slots (<c>JOB build COMMIT</c>),
/// <paramref name="Repositories"/> those it has built commits of, <paramref name="RecentBuilds"/> its last builds
/// (the dispatcher prefers a node that built the commit, else one that built a commit near it, else a warm one).
/// </summary>
[GenerateSerializer, Immutable, Alias("Culprit.Service.Grains.NodeStatus")]
public sealed record NodeStatus(
    [property: Id(0)] string Node,
    [property: Id(1)] string Address,
    [property: Id(2)] string Urls,
    [property: Id(3)] int Builds,
    [property: Id(4)] int Vms,
    [property: Id(5)] IReadOnlyList<string> Running,
    [property: Id(6)] int VmsInUse,
    [property: Id(7)] IReadOnlyList<string> Queued,
    [property: Id(8)] DateTimeOffset ReportedAt,
    [property: Id(9)] int BuildsInUse = 0,
    [property: Id(10)] IReadOnlyList<string>? Repositories = null,
    [property: Id(11)] IReadOnlyList<RecentBuild>? RecentBuilds = null);

/// <summary>A commit of <paramref name="Repository"/> (as jobs name it) a node built, with the build's signature when it built.</summary>
[GenerateSerializer, Immutable, Alias("Culprit.Service.Grains.RecentBuild")]
public sealed record RecentBuild(
    [property: Id(0)] string Repository,
    [property: Id(1)] string Commit,
    [property: Id(2)] string? Signature);
