namespace Culprit.Service.Nodes;

/// <summary>
/// This node's capacity: how many commands (a checkout, a build, a test command) run at once
/// (<c>--builds</c>) and how many VMs boot at once (<c>--vms</c>). Each step of a commit test that the
/// node's worker grain runs takes its slot for as long as it runs; steps that do not fit wait in
/// arrival order (a kernel run waiting for VMs is not starved by small steps behind it).
/// </summary>
public sealed class WorkerSlots(int builds, int vms)
{
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private readonly List<Waiter> _busy = [];
    private int _buildsInUse;
    private int _vmsInUse;

    public int Builds { get; } = builds;

    public int Vms { get; } = vms;

    /// <summary>Build slots held now.</summary>
    public int BuildsInUse
    {
        get
        {
            lock (_lock)
            {
                return _buildsInUse;
            }
        }
    }

    /// <summary>A snapshot: what holds a slot now (by label), the VMs in use and the labels waiting, in order.</summary>
    public (IReadOnlyList<string> Running, int VmsInUse, IReadOnlyList<string> Queued) Snapshot()
    {
        lock (_lock)
        {
            return ([.. _busy.Select(w => w.Label)], _vmsInUse, [.. _queue.Select(w => w.Label)]);
        }
    }

    /// <summary>Waits for a build slot and <paramref name="vms"/> VMs (at most the node's) for <paramref name="label"/>.</summary>
    public Task<IDisposable> TakeAsync(string label, int vms, CancellationToken ct) => TakeAsync(label, 1, vms, ct);

    /// <summary>Waits for <paramref name="builds"/> (0 or 1) build slots and <paramref name="vms"/> VMs (at most the node's).</summary>
    public async Task<IDisposable> TakeAsync(string label, int builds, int vms, CancellationToken ct)
    {
        var waiter = new Waiter(label, Math.Clamp(builds, 0, 1), Math.Min(vms, Vms));
        lock (_lock)
        {
            _queue.AddLast(waiter);
            Grant();
        }
        using (ct.Register(() => Abandon(waiter)))
        {
            await waiter.Granted.Task;
        }
        return new Slot(this, waiter);
    }

    private void Abandon(Waiter waiter)
    {
        lock (_lock)
        {
            if (_queue.Remove(waiter))
            {
                waiter.Granted.TrySetCanceled();
                Grant();
            }
        }
    }

    private void Release(Waiter waiter)
    {
        lock (_lock)
        {
            _buildsInUse -= waiter.Builds;
            _vmsInUse -= waiter.Vms;
            _busy.Remove(waiter);
            Grant();
        }
    }

    /// <summary>Starts waiting steps from the front while they fit (under the lock).</summary>
    private void Grant()
    {
        while (_queue.First is { } first && _buildsInUse + first.Value.Builds <= Builds && _vmsInUse + first.Value.Vms <= Vms)
        {
            var waiter = first.Value;
            _queue.RemoveFirst();
            _buildsInUse += waiter.Builds;
            _vmsInUse += waiter.Vms;
            _busy.Add(waiter);
            waiter.Granted.TrySetResult();
        }
    }

    /// <summary>A class, not a record: two equal requests (two runs of one commit) are two waiters.</summary>
    private sealed class Waiter(string label, int builds, int vms)
    {
        public string Label { get; } = label;
        public int Builds { get; } = builds;
        public int Vms { get; } = vms;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Slot(WorkerSlots owner, Waiter waiter) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(waiter);
            }
        }
    }
}
