namespace Culprit.Service.Nodes;

/// <summary>
/// This node's capacity: how many jobs build and test at once (<c>--builds</c>) and how many VMs they
/// boot at once (<c>--vms</c>). A job takes one build slot and its VMs for as long as it runs; jobs
/// that do not fit wait in arrival order (a big kernel job is not starved by small ones behind it).
/// </summary>
public sealed class WorkerSlots(int builds, int vms)
{
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private readonly Dictionary<string, int> _busy = new(StringComparer.Ordinal);
    private int _buildsInUse;
    private int _vmsInUse;

    public int Builds { get; } = builds;

    public int Vms { get; } = vms;

    /// <summary>A snapshot: running job ids (with their VMs) and the ids waiting, in order.</summary>
    public (IReadOnlyList<string> Running, int VmsInUse, IReadOnlyList<string> Queued) Snapshot()
    {
        lock (_lock)
        {
            return ([.. _busy.Keys], _vmsInUse, [.. _queue.Select(w => w.JobId)]);
        }
    }

    /// <summary>Waits for a build slot and <paramref name="vms"/> VMs (at most the node's) for <paramref name="jobId"/>.</summary>
    public async Task<IDisposable> TakeAsync(string jobId, int vms, CancellationToken ct)
    {
        var waiter = new Waiter(jobId, Math.Min(vms, Vms));
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
            _buildsInUse--;
            _vmsInUse -= waiter.Vms;
            _busy.Remove(waiter.JobId);
            Grant();
        }
    }

    /// <summary>Starts waiting jobs from the front while they fit (under the lock).</summary>
    private void Grant()
    {
        while (_queue.First is { } first && _buildsInUse < Builds && _vmsInUse + first.Value.Vms <= Vms)
        {
            var waiter = first.Value;
            _queue.RemoveFirst();
            _buildsInUse++;
            _vmsInUse += waiter.Vms;
            _busy[waiter.JobId] = waiter.Vms;
            waiter.Granted.TrySetResult();
        }
    }

    private sealed record Waiter(string JobId, int Vms)
    {
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
