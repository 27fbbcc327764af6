using Culprit.Service.Grains;

namespace Culprit.Service.Dispatch;

/// <summary>
/// The one place that decides which node tests a job worker's next commit: among the nodes Orleans
/// membership says are alive, one with a free build slot (as nodes last reported, less what this node
/// has just sent there), preferring a node that built this very commit (or a build of its signature:
/// its kept image is there), then the node that holds the worker's tree (its last checkout and build
/// output), then the node whose recent builds of the repository are nearest to the commit in the
/// job's range (fewest commits apart: ccache and the build tree's state are closest), then a node that
/// built the repository at all, then the freest. Nodes report their recent builds every 2 s, and the
/// job's range is in memory: a choice makes no git call. A node that joined since (no report yet)
/// counts as free. When every node is busy, the worker's own node (else the least loaded) queues the step.
/// </summary>
public sealed class NodeChooser(IGrainFactory grains, IClusterMembershipService membership)
{
    /// <summary>How long a node whose call failed is passed over (membership declares a killed node dead within ~15 s).</summary>
    public static readonly TimeSpan SuspectFor = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, int> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> _suspects = new(StringComparer.Ordinal);

    /// <summary>A node for the next step, held as sent there until the returned lease is disposed.</summary>
    /// <param name="signature">The build's signature when the step runs a build already made, else null.</param>
    /// <param name="distanceTo">Commits between the step's commit and another of the job's range; null when either is outside it (or the range is not listed yet).</param>
    public async Task<(string Node, IDisposable Lease)> ChooseAsync(
        string repository, string commit, string? signature, string? preferred, Func<string, int?>? distanceTo, CancellationToken ct)
    {
        while (true)
        {
            var active = membership.CurrentSnapshot.Members.Values
                .Where(m => m.Status == SiloStatus.Active)
                .Select(m => m.SiloAddress)
                .ToList();
            // A node whose call just failed is not trusted again until membership has had time to judge it.
            var trusted = active.Where(a => !Suspected(a.ToParsableString())).ToList();
            var alive = trusted.Count > 0 ? trusted : active;
            if (alive.Count > 0)
            {
                var reports = await ReportsAsync();
                lock (_sent)
                {
                    var pick = Pick([.. alive.Select(a =>
                    {
                        var key = a.ToParsableString();
                        reports.TryGetValue(a.ToString(), out var report);
                        var free = (report is null ? 1 : report.Builds - report.BuildsInUse - report.Queued.Count) - _sent.GetValueOrDefault(key);
                        return new Candidate(key, free, report?.Repositories?.Contains(repository, StringComparer.Ordinal) == true,
                            DistanceOf(report?.RecentBuilds, repository, commit, signature, distanceTo));
                    })], preferred);
                    _sent[pick] = _sent.GetValueOrDefault(pick) + 1;
                    return (pick, new Lease(this, pick));
                }
            }
            // No live node at all (this one is leaving): wait for membership to say otherwise.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    /// <summary>
    /// The choice itself: a node with a free slot (one that built the commit, then the preferred one,
    /// then the nearest build, then a warm one, then the freest); when none is free, the preferred
    /// one, else the least loaded. Ties go to the lower address, so the choice is stable.
    /// </summary>
    public static string Pick(IReadOnlyList<Candidate> nodes, string? preferred) =>
        nodes.Where(n => n.Free > 0)
            .OrderByDescending(n => n.Distance == 0).ThenByDescending(n => n.Key == preferred)
            .ThenBy(n => n.Distance ?? int.MaxValue).ThenByDescending(n => n.Warm).ThenByDescending(n => n.Free).ThenBy(n => n.Key, StringComparer.Ordinal)
            .Select(n => n.Key).FirstOrDefault()
        ?? nodes.OrderByDescending(n => n.Key == preferred).ThenByDescending(n => n.Free).ThenBy(n => n.Key, StringComparer.Ordinal).First().Key;

    /// <summary>
    /// How near a node's recent builds of <paramref name="repository"/> are to <paramref name="commit"/>:
    /// 0 when it built the commit (or a build of <paramref name="signature"/>), else the fewest commits
    /// apart in the job's range, else null (none of its builds is in the range, or it built none).
    /// </summary>
    public static int? DistanceOf(IReadOnlyList<RecentBuild>? builds, string repository, string commit, string? signature, Func<string, int?>? distanceTo)
    {
        int? nearest = null;
        foreach (var build in builds ?? [])
        {
            if (build.Repository != repository)
            {
                continue;
            }
            if (build.Commit == commit || (signature is not null && build.Signature == signature))
            {
                return 0;
            }
            if (distanceTo?.Invoke(build.Commit) is { } d && (nearest is null || d < nearest))
            {
                nearest = d;
            }
        }
        return nearest;
    }

    /// <summary>
    /// A live node as the chooser sees it: its free build slots (may be negative: a queue), whether it
    /// built the repository, and how near its recent builds are to the commit (<see cref="DistanceOf"/>).
    /// </summary>
    public readonly record struct Candidate(string Key, int Free, bool Warm, int? Distance = null);

    /// <summary>
    /// The nodes' last reports; none while the cluster grain cannot answer (it lived on a node just
    /// killed and comes back elsewhere once that node is declared dead): every live node then counts as free.
    /// </summary>
    private async Task<Dictionary<string, NodeStatus>> ReportsAsync()
    {
        try
        {
            return (await grains.GetGrain<IClusterGrain>(0).NodesAsync()).ToDictionary(r => r.Address, StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new Dictionary<string, NodeStatus>(StringComparer.Ordinal);
        }
    }

    /// <summary>A call to <paramref name="node"/> failed: pass it over for a while.</summary>
    public void Suspect(string node)
    {
        lock (_suspects)
        {
            _suspects[node] = DateTime.UtcNow + SuspectFor;
        }
    }

    private bool Suspected(string node)
    {
        lock (_suspects)
        {
            return _suspects.TryGetValue(node, out var until) && until > DateTime.UtcNow;
        }
    }

    /// <summary>Whether membership still counts <paramref name="node"/> (a silo address key) as alive.</summary>
    public bool IsAlive(string node) =>
        membership.CurrentSnapshot.Members.Values.Any(m => m.Status == SiloStatus.Active && m.SiloAddress.ToParsableString() == node);

    private void Done(string node)
    {
        lock (_sent)
        {
            if (_sent.GetValueOrDefault(node) <= 1)
            {
                _sent.Remove(node);
            }
            else
            {
                _sent[node]--;
            }
        }
    }

    private sealed class Lease(NodeChooser owner, string node) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                owner.Done(node);
            }
        }
    }
}
