namespace Culprit.Service.Nodes;

/// <summary>
/// Which callers of this node's steps have died: a token per calling node (its silo address), cancelled
/// once membership declares that node dead. A job's grain dies with its node, and the job is picked up
/// again elsewhere only after that declaration; its steps still going on here are stopped by then, so
/// the new pass never shares a worker's tree with them.
/// </summary>
public sealed class CallerWatch
{
    private readonly Func<string, bool> _isDead;
    private readonly Dictionary<string, CancellationTokenSource> _callers = new(StringComparer.Ordinal);

    public CallerWatch(IClusterMembershipService membership)
        : this(caller => membership.CurrentSnapshot.Members.Values.Any(m => m.Status == SiloStatus.Dead && m.SiloAddress.ToParsableString() == caller))
    {
        // For the node's life: each new membership view may declare a caller dead.
        _ = WatchAsync(membership);
    }

    /// <param name="isDead">Whether membership has declared the node with this silo address dead.</param>
    internal CallerWatch(Func<string, bool> isDead) => _isDead = isDead;

    /// <summary>Cancelled once <paramref name="caller"/> is declared dead (at once when it is already); never for a step that names no caller.</summary>
    public CancellationToken DeathOf(string? caller)
    {
        if (caller is null)
        {
            return CancellationToken.None;
        }
        CancellationTokenSource death;
        lock (_callers)
        {
            if (!_callers.TryGetValue(caller, out death!))
            {
                _callers[caller] = death = new CancellationTokenSource();
            }
        }
        if (!death.IsCancellationRequested && _isDead(caller))
        {
            death.Cancel();
        }
        return death.Token;
    }

    /// <summary>Membership changed: the steps of every caller now declared dead stop.</summary>
    internal void Changed()
    {
        List<CancellationTokenSource> dead;
        lock (_callers)
        {
            dead = [.. _callers.Where(c => !c.Value.IsCancellationRequested && _isDead(c.Key)).Select(c => c.Value)];
        }
        foreach (var death in dead)
        {
            death.Cancel();
        }
    }

    private async Task WatchAsync(IClusterMembershipService membership)
    {
        try
        {
            await foreach (var _ in membership.MembershipUpdates)
            {
                Changed();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The node is stopping.
        }
    }
}
