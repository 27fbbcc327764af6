using System.Text.Json;
using Culprit.Core.Domain;
using Culprit.Core.Testing;
using Culprit.Jobs;
using Culprit.Service.Grains;
using Microsoft.Extensions.Logging;

namespace Culprit.Service.Dispatch;

/// <summary>
/// A job worker's tester whose commits are tested on the cluster's nodes: each commit test (checkout,
/// build, runs) goes to the node <see cref="NodeChooser"/> picks, through that node's worker grain, and
/// what it returns goes back to the job's <c>CommitTestRunner</c>, which stores the outcome (one place)
/// before the strategy sees it. A node that dies mid-test loses only this step: the commit is checked
/// out and built again on another node and its runs go on there; nothing was stored for it yet.
/// </summary>
public sealed class DispatchingTester : ICommitTester
{
    private readonly IGrainFactory _grains;
    private readonly NodeChooser _chooser;
    private readonly ILogger _logger;
    private readonly string _jobId;
    private readonly int _worker;
    private readonly string _repository;
    private readonly string? _caller;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Node, string Build)> _builds = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _moving = new(1, 1);

    /// <summary>The job's range, shared by its workers' testers: how far apart two commits are, for the chooser.</summary>
    private readonly JobRange _range;

    /// <summary>The node holding this worker's checkout now, and the commit checked out there.</summary>
    private (string Node, string Commit, IDisposable Lease)? _at;

    /// <param name="caller">This node's silo address, sent with each step: a node stops the steps of a caller that died.</param>
    public DispatchingTester(
        IGrainFactory grains, NodeChooser chooser, ILogger logger, JobSpec spec, string jobId, int worker, JobRange? range = null, string? caller = null)
    {
        (_grains, _chooser, _logger, _jobId, _worker, _caller) = (grains, chooser, logger, jobId, worker, caller);
        _range = range ?? new JobRange();
        _repository = spec.Origin ?? spec.Repo;
        Spec = spec;
        ParallelRuns = spec.Kernel?.Vms ?? 1;
    }

    private JobSpec Spec { get; }

    public int ParallelRuns { get; }

    /// <summary>Each build goes to a node's build slot: a build made ahead may take a free one at once.</summary>
    public bool BuildsShareMachine => false;

    public async Task<string?> PrepareAsync(string commit, CancellationToken ct)
    {
        await _moving.WaitAsync(ct);
        try
        {
            return await PrepareSomewhereAsync(commit, null, ct);
        }
        finally
        {
            _moving.Release();
        }
    }

    /// <summary>
    /// The build kept on the node where the commit is checked out (a worker of any job there built it),
    /// or null; a node lost meanwhile keeps nothing for this worker (the build goes elsewhere).
    /// </summary>
    public async Task<BuildResult?> KeptBuildAsync(string commit, CancellationToken ct)
    {
        var node = await CheckedOutAsync(commit, null, ct);
        try
        {
            if (await Worker(node).KeptBuildAsync(Task(commit), ct) is not { } json)
            {
                return null;
            }
            _builds[commit] = (node, json);
            return Read<BuildResult>(json);
        }
        catch (Exception ex) when (Lost(ex, node))
        {
            await LostAsync(node, commit, ex, ct);
            return null;
        }
    }

    public async Task<BuildResult> BuildAsync(string commit, CancellationToken ct)
    {
        string? lost = null;
        while (true)
        {
            var node = await CheckedOutAsync(commit, lost, ct);
            try
            {
                var json = await Worker(node).BuildAsync(Task(commit), ct);
                _builds[commit] = (node, json);
                return Read<BuildResult>(json);
            }
            catch (Exception ex) when (Lost(ex, node))
            {
                lost = node;
                await LostAsync(node, commit, ex, ct);
            }
        }
    }

    public async Task<RunOutcome> RunAsync(BuildResult build, int runIndex, CancellationToken ct)
    {
        while (true)
        {
            if (!_builds.TryGetValue(build.Commit, out var built))
            {
                built = await RebuildAsync(build.Commit, build.Signature, null, ct);
            }
            try
            {
                return Read<RunOutcome>(await Worker(built.Node).RunAsync(Task(build.Commit), built.Build, runIndex, ct));
            }
            catch (Exception ex) when (Lost(ex, built.Node))
            {
                await LostAsync(built.Node, build.Commit, ex, ct);
                var again = await RebuildAsync(build.Commit, build.Signature, built.Node, ct);
                if (Read<BuildResult>(again.Build) is { Ok: false } failed)
                {
                    return RunOutcome.Infra($"the node building {build.Commit} was lost and its build again failed: {failed.Error}");
                }
            }
        }
    }

    public Task<ICommitTester> ForWorkerAsync(int worker, CancellationToken ct) =>
        System.Threading.Tasks.Task.FromResult<ICommitTester>(new DispatchingTester(_grains, _chooser, _logger, Spec, _jobId, worker, _range, _caller));

    public void RangeListed(CommitGraph range) => _range.Graph = range;

    public async ValueTask DisposeAsync()
    {
        _at?.Lease.Dispose();
        _at = null;
        foreach (var node in _used)
        {
            try
            {
                await Worker(node).ReleaseAsync(_jobId, _worker);
            }
            catch (Exception ex)
            {
                // A node gone keeps nothing of the job; one still there removes the worker's tree when it stops.
                _logger.LogInformation("job {Job}: could not release worker {Worker} on {Node}: {Message}", _jobId, _worker, node, ex.Message);
            }
        }
        _moving.Dispose();
    }

    /// <summary>
    /// The commit checked out again (and built) on another node after <paramref name="lost"/> died,
    /// once: runs of one build going on at once all wait for the first one's rebuild.
    /// </summary>
    private async Task<(string Node, string Build)> RebuildAsync(string commit, string? signature, string? lost, CancellationToken ct)
    {
        await _moving.WaitAsync(ct);
        try
        {
            if (_builds.TryGetValue(commit, out var built) && built.Node != lost && _chooser.IsAlive(built.Node))
            {
                return built;
            }
            while (true)
            {
                await PrepareSomewhereAsync(commit, signature, ct);
                var node = _at!.Value.Node;
                try
                {
                    var json = await Worker(node).BuildAsync(Task(commit), ct);
                    _builds[commit] = (node, json);
                    return (node, json);
                }
                catch (Exception ex) when (Lost(ex, node))
                {
                    await LostAsync(node, commit, ex, ct);
                }
            }
        }
        finally
        {
            _moving.Release();
        }
    }

    /// <summary>The node where <paramref name="commit"/> is checked out for this worker, checking it out elsewhere if that node is gone.</summary>
    private async Task<string> CheckedOutAsync(string commit, string? lost, CancellationToken ct)
    {
        if (_at is { } at && at.Commit == commit && at.Node != lost && _chooser.IsAlive(at.Node))
        {
            return at.Node;
        }
        await PrepareSomewhereAsync(commit, null, ct);
        return _at!.Value.Node;
    }

    private async Task<string?> PrepareSomewhereAsync(string commit, string? signature, CancellationToken ct)
    {
        while (true)
        {
            // This worker's previous seat is given up first, so its own node counts as free for it.
            var preferred = _at?.Node;
            _at?.Lease.Dispose();
            _at = null;
            var (node, lease) = await _chooser.ChooseAsync(_repository, commit, signature, preferred, other => _range.Distance(commit, other), ct);
            try
            {
                _used.Add(node);
                var compiler = await Worker(node).PrepareAsync(Task(commit), ct);
                _at = (node, commit, lease);
                return compiler;
            }
            catch (Exception ex) when (Lost(ex, node))
            {
                lease.Dispose();
                await LostAsync(node, commit, ex, ct);
            }
            catch
            {
                lease.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Whether a failed call means its node is gone (Orleans fails calls to a silo declared dead, or
    /// one that cannot be placed there), rather than a failure of the test itself, which the job reports.
    /// </summary>
    private bool Lost(Exception ex, string node)
    {
        if (ex is OperationCanceledException)
        {
            return false;
        }
        // A node killed is unreachable some seconds before membership declares it dead: a message that
        // could not be delivered (or whose answer never came) counts as lost too. Testing the step again
        // elsewhere never changes what is stored: nothing was stored for it.
        var lost = ex is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException || !_chooser.IsAlive(node);
        if (lost)
        {
            _chooser.Suspect(node);
        }
        return lost;
    }

    /// <summary>Logs the loss and gives membership a moment: a node not yet declared dead must not be picked again at once.</summary>
    private async Task LostAsync(string node, string commit, Exception ex, CancellationToken ct)
    {
        if (_at?.Node == node)
        {
            _at.Value.Lease.Dispose();
            _at = null;
        }
        if (_builds.TryGetValue(commit, out var built) && built.Node == node)
        {
            _builds.TryRemove(commit, out _);
        }
        _logger.LogWarning("job {Job}: node {Node} was lost while testing commit {Commit} ({Message}); dispatching it again", _jobId, node, commit, ex.Message);
        await System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(1), ct);
    }

    private IWorkerGrain Worker(string node) => _grains.GetGrain<IWorkerGrain>(node);

    private WorkerTask Task(string commit) => new(_jobId, _worker, commit, _caller);

    private static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, JsonDefaults.Options) ?? throw new InvalidOperationException($"a worker node returned no {typeof(T).Name}");
}
