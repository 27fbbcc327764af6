namespace Culprit.Service.Grains;

/// <summary>The last report of every node, by silo address.</summary>
public sealed class ClusterGrain : Grain, IClusterGrain
{
    private readonly Dictionary<string, NodeStatus> _nodes = new(StringComparer.Ordinal);

    public Task ReportAsync(NodeStatus status)
    {
        _nodes[status.Address] = status;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<NodeStatus>> NodesAsync() =>
        Task.FromResult<IReadOnlyList<NodeStatus>>([.. _nodes.Values.OrderBy(n => n.Node, StringComparer.Ordinal)]);
}
