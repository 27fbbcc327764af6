using System.Collections.Concurrent;
using Culprit.Core.Testing;
using Culprit.Git;
using Culprit.Jobs;
using Culprit.Jobs.Reports;
using Culprit.Service.Submissions;

namespace Culprit.Service.Nodes;

/// <summary>
/// The testers this node keeps for the job workers whose commits it tests: one per (job, worker),
/// made from the stored job on first use (the repository fetched into this node's cache when the job
/// came as a URL) and kept while the worker's commits come here, so its worktree and build output stay warm.
/// Also which repositories this node has built, for the dispatcher's preference for warm nodes.
/// </summary>
public sealed class NodeTesters(ServiceOptions options, JobStores stores, RepositoryCache repositories) : IAsyncDisposable
{
    private readonly TesterFactory _factory = options.Testers(Path.Combine(options.JobsDir, "workers"));
    private readonly ConcurrentDictionary<(string Job, int Worker), Lazy<Task<NodeTester>>> _testers = new();
    private readonly JobInputs _inputs = new(options.InputsDir);
    private readonly ConcurrentDictionary<string, byte> _built = new(StringComparer.Ordinal);

    /// <summary>The repositories (as jobs name them: URL or path) this node has built commits of.</summary>
    public IReadOnlyList<string> Repositories => [.. _built.Keys.Order(StringComparer.Ordinal)];

    public void Built(string repository) => _built.TryAdd(repository, 0);

    public async Task<NodeTester> ForAsync(string jobId, int worker, CancellationToken ct)
    {
        var key = (jobId, worker);
        var made = _testers.GetOrAdd(key, _ => new Lazy<Task<NodeTester>>(() => CreateAsync(jobId, worker, ct)));
        try
        {
            return await made.Value;
        }
        catch
        {
            // A tester that could not be made (a fetch failed, a call cancelled) is made again by the next call.
            _testers.TryRemove(new KeyValuePair<(string, int), Lazy<Task<NodeTester>>>(key, made));
            throw;
        }
    }

    public async Task ReleaseAsync(string jobId, int worker)
    {
        if (_testers.TryRemove((jobId, worker), out var made) && made.IsValueCreated)
        {
            try
            {
                await (await made.Value).Tester.DisposeAsync();
            }
            catch (Exception)
            {
                // It was never made: nothing to dispose.
            }
        }
    }

    private async Task<NodeTester> CreateAsync(string jobId, int worker, CancellationToken ct)
    {
        JobSpec spec;
        using (var store = stores.Open())
        {
            // A kernel job's files come with the job from the store: the submitting node's disk is not this one.
            spec = _inputs.Materialise(store, jobId, ReportedJob.From(store.GetJob(jobId), []).Spec);
        }
        var repo = await GitRepository.OpenAsync(await repositories.PathOfAsync(spec, ct), ct);
        // Each worker of a job has its own tree here: two of its workers may test on this node at once.
        var tester = await _factory(spec, repo, $"{jobId}-w{worker}", ct);
        return new NodeTester(tester, spec.Origin ?? spec.Repo, spec.Kernel is not null);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var key in _testers.Keys.ToList())
        {
            await ReleaseAsync(key.Job, key.Worker);
        }
    }
}

/// <summary>A job worker's tester on this node; <paramref name="Repository"/> as the job names it.</summary>
public sealed record NodeTester(ICommitTester Tester, string Repository, bool Kernel);
