using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Culprit.Service.Dispatch;

/// <summary>
/// Places a grain on the node its key names (a silo address): a node's worker grain lives on that
/// node. A node that is gone has no place: the call fails, and the job dispatches its commit elsewhere.
/// </summary>
[GenerateSerializer, Immutable, Alias("Culprit.Service.Dispatch.NodePlacement")]
public sealed class NodePlacement : PlacementStrategy
{
    public static readonly NodePlacement Instance = new();
}

/// <summary>Marks a grain keyed by a silo address as living on that silo.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NodePlacementAttribute() : PlacementAttribute(NodePlacement.Instance);

/// <summary>Puts the activation on the compatible silo whose address is the grain's key.</summary>
public sealed class NodePlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        var silo = context.GetCompatibleSilos(target).FirstOrDefault(s => s.ToParsableString() == key)
            ?? throw new SiloUnavailableException($"node {key} is not in the cluster");
        return Task.FromResult(silo);
    }
}
