using Culprit.Service.Grains;

namespace Culprit.Service.Http;

/// <summary><c>GET /api/cluster</c>: the nodes Orleans membership knows (alive or dead) with what each last reported.</summary>
public sealed record ClusterView(int Capacity, int Busy, int Queue, IReadOnlyList<ClusterView.Node> Nodes)
{
    public sealed record Node(string Name, string Address, string Status, string? Urls, int Builds, int Vms, int BusyBuilds, int BusyVms,
        IReadOnlyList<string> Running, IReadOnlyList<string> Queued, DateTimeOffset? ReportedAt);

    public static async Task<ClusterView> LoadAsync(IGrainFactory grains)
    {
        var members = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        var reports = (await grains.GetGrain<IClusterGrain>(0).NodesAsync()).ToDictionary(r => r.Address, StringComparer.Ordinal);
        var nodes = members.OrderBy(m => m.SiloName, StringComparer.Ordinal).Select(m =>
        {
            var alive = m.Status == SiloStatus.Active;
            reports.TryGetValue(m.SiloAddress.ToString(), out var r);
            return new Node(m.SiloName, m.SiloAddress.ToString(), m.Status.ToString().ToLowerInvariant(), r?.Urls,
                r?.Builds ?? 0, r?.Vms ?? 0,
                alive ? r?.BuildsInUse ?? 0 : 0, alive ? r?.VmsInUse ?? 0 : 0,
                alive ? r?.Running ?? [] : [], alive ? r?.Queued ?? [] : [], r?.ReportedAt);
        }).ToList();
        var active = nodes.Where(n => n.Status == "active").ToList();
        return new ClusterView(active.Sum(n => n.Builds), active.Sum(n => n.BusyBuilds), active.Sum(n => n.Queued.Count), nodes);
    }
}
