using System.Collections.Concurrent;
using Culprit.Core.Testing;
using Culprit.Git;
using Culprit.Jobs;
using Culprit.Jobs.Reports;
using Culprit.Service.Grains;
using Culprit.Service.Submissions;
using Culprit.Store;

namespace Culprit.Service.Nodes;

/// <summary>
/// The testers this node keeps for the job workers whose commits it tests: one per (job, worker),
/// made from the stored job on first use (the repository fetched into this node's cache when the job
/// came as a URL) and kept while the worker's commits come here, so its worktree and build output stay warm.
/// Also which repositories this node has built, for the dispatcher's preference for warm nodes.
/// </summary>
public sealed partial class NodeTesters(ServiceOptions options, JobStores stores, RepositoryCache repositories) : IAsyncDisposable
{
    private readonly string _workers = Path.Combine(options.JobsDir, "workers");
    private readonly TesterFactory _factory = options.Testers(Path.Combine(options.JobsDir, "workers"), options.ImagesDir);
    private readonly ConcurrentDictionary<(string Job, int Worker), Lazy<Task<NodeTester>>> _testers = new();
    private readonly JobInputs _inputs = new(options.InputsDir);
    private readonly ConcurrentDictionary<string, byte> _built = new(StringComparer.Ordinal);
    private readonly LinkedList<RecentBuild> _recent = new();
    private readonly Dictionary<string, JobSteps> _steps = new(StringComparer.Ordinal);

    /// <summary>How many of its last builds a node reports: enough to cover the rounds of the jobs it serves, small enough for a report every 2 s.</summary>
    public const int RecentBuildsKept = 64;

    /// <summary>The repositories (as jobs name them: URL or path) this node has built commits of.</summary>
    public IReadOnlyList<string> Repositories => [.. _built.Keys.Order(StringComparer.Ordinal)];

    /// <summary>This node's last builds, oldest first (a commit built again counts once, as its last build).</summary>
    public IReadOnlyList<RecentBuild> RecentBuilds
    {
        get
        {
            lock (_recent)
            {
                return [.. _recent];
            }
        }
    }

    public void Built(string repository, string commit, string? signature)
    {
        _built.TryAdd(repository, 0);
        lock (_recent)
        {
            var build = new RecentBuild(repository, commit, signature);
            _recent.Remove(build);
            _recent.AddLast(build);
            if (_recent.Count > RecentBuildsKept)
            {
                _recent.RemoveFirst();
            }
        }
    }

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

    /// <summary>
    /// One step of a job worker's commit test, with its tester here. Cancelled when the job ends
    /// meanwhile (<see cref="ForgetAsync"/>); a step that ends after its job did removes the job's
    /// directories again, as what it wrote may have come after they were removed. Cancelled too when
    /// its caller dies (<paramref name="callerGone"/>, <see cref="CallerWatch"/>): then the worker's
    /// tester and tree here go with it (a checkout or build cut short leaves them unsound), so the job's
    /// next pass starts this worker afresh; a step whose caller is gone already is refused.
    /// </summary>
    public async Task<T> StepAsync<T>(
        string jobId, int worker, Func<NodeTester, CancellationToken, Task<T>> step, CancellationToken ct, CancellationToken callerGone = default)
    {
        if (callerGone.IsCancellationRequested)
        {
            throw new OperationCanceledException($"job {jobId}: the node that sent this step is gone", callerGone);
        }
        var steps = Enter(jobId);
        NodeTester? tester = null;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, steps.Ended, callerGone);
            tester = await ForAsync(jobId, worker, linked.Token);
            return await step(tester, linked.Token);
        }
        finally
        {
            if (Leave(jobId, steps))
            {
                await ClearAsync(jobId);
            }
            else if (callerGone.IsCancellationRequested && tester is not null)
            {
                await DropAsync(jobId, worker, tester);
            }
        }
    }

    /// <summary>
    /// Releases <paramref name="tester"/> and removes its worker's directory, unless another tester took
    /// its place meanwhile (the job's next pass, which starts only after the caller was declared dead).
    /// </summary>
    private async Task DropAsync(string jobId, int worker, NodeTester tester)
    {
        var key = (jobId, worker);
        if (_testers.TryGetValue(key, out var made) && made.IsValueCreated && made.Value.IsCompletedSuccessfully && made.Value.Result == tester
            && _testers.TryRemove(new KeyValuePair<(string, int), Lazy<Task<NodeTester>>>(key, made)))
        {
            await tester.Tester.DisposeAsync();
            Remove(Path.Combine(_workers, WorkerDir(jobId, worker)));
        }
    }

    private JobSteps Enter(string jobId)
    {
        lock (_steps)
        {
            // A job that ended may be resumed: its new steps start afresh (and the store decides whether a tester is made).
            if (!_steps.TryGetValue(jobId, out var steps) || steps.HasEnded)
            {
                _steps[jobId] = steps = new JobSteps();
            }
            steps.InFlight++;
            return steps;
        }
    }

    /// <summary>Whether the step's job ended while it ran (and no later steps of it took over here): then its directories go again.</summary>
    private bool Leave(string jobId, JobSteps steps)
    {
        lock (_steps)
        {
            steps.InFlight--;
            var current = _steps.GetValueOrDefault(jobId) == steps;
            if (current && steps.InFlight == 0)
            {
                _steps.Remove(jobId);
            }
            return steps.HasEnded && (current || !_steps.ContainsKey(jobId));
        }
    }

    /// <summary>
    /// The job has ended (finished, failed, stopped or cancelled): its steps still going on here stop,
    /// its workers' testers here are released and their directories removed, also those a job grain
    /// on a node that died left behind, or that this node kept from before it was restarted.
    /// </summary>
    public async Task ForgetAsync(string jobId)
    {
        JobSteps? steps;
        lock (_steps)
        {
            steps = _steps.GetValueOrDefault(jobId);
        }
        // Outside the lock: a cancelled step may go on (and leave) on this thread.
        steps?.End();
        await ClearAsync(jobId);
    }

    private async Task ClearAsync(string jobId)
    {
        foreach (var key in _testers.Keys.Where(k => k.Job == jobId).ToList())
        {
            await ReleaseAsync(key.Job, key.Worker);
        }
        foreach (var dir in WorkerDirs().Where(d => d.Job == jobId))
        {
            Remove(dir.Path);
        }
    }

    /// <summary>
    /// At start: removes the worker directories of jobs that are no longer active (or no longer
    /// stored). A job still running elsewhere keeps its directories here until it ends.
    /// </summary>
    public void RemoveLeftovers(JobStore store)
    {
        foreach (var (job, path) in WorkerDirs())
        {
            if (store.FindJob(job) is not { } record || !JobStates.IsActive(record.State))
            {
                Remove(path);
            }
        }
    }

    /// <summary>The job worker directories on this node (<c>JOB-wN</c> under <c>work/workers</c>).</summary>
    private IEnumerable<(string Job, string Path)> WorkerDirs() =>
        Directory.Exists(_workers)
            ? Directory.EnumerateDirectories(_workers)
                .Select(d => (Match: WorkerDirName().Match(System.IO.Path.GetFileName(d)), Path: d))
                .Where(d => d.Match.Success)
                .Select(d => (d.Match.Groups[1].Value, d.Path))
                .ToList()
            : [];

    /// <summary>
    /// Removed as a whole: the tester removed its git worktree already when it was released here; one
    /// left by a killed process is pruned from its repository by the next worktree added there.
    /// </summary>
    private static void Remove(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(.+)-w(\d+)$")]
    private static partial System.Text.RegularExpressions.Regex WorkerDirName();

    private async Task<NodeTester> CreateAsync(string jobId, int worker, CancellationToken ct)
    {
        JobSpec spec;
        using (var store = stores.Open())
        {
            // A kernel job's files come with the job from the store: the submitting node's disk is not this one.
            var job = store.GetJob(jobId);
            // A step that outlived its job (its caller died with the job's grain) makes nothing here: the job's directories stay gone.
            if (!JobStates.IsActive(job.State))
            {
                throw new InvalidOperationException($"job {jobId} has ended ({job.State}): its commits are no longer tested");
            }
            spec = _inputs.Materialise(store, jobId, ReportedJob.From(job, []).Spec);
        }
        var repo = await GitRepository.OpenAsync(await repositories.PathOfAsync(spec, ct), ct);
        // Each worker of a job has its own tree here: two of its workers may test on this node at once.
        var tester = await _factory(spec, repo, WorkerDir(jobId, worker), ct);
        return new NodeTester(tester, spec.Origin ?? spec.Repo, spec.Kernel is not null);
    }

    /// <summary>The name of a job worker's directory under <c>work/workers</c>.</summary>
    public static string WorkerDir(string jobId, int worker) => $"{jobId}-w{worker}";

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
