namespace Culprit.Service.Grains;

/// <summary>
/// One per node, living on that node (keyed by its silo address): it runs the steps of commit tests
/// that jobs dispatch to this node, with this node's testers (one per job worker: its own worktree
/// and output directory here) and within this node's build and VM slots. It stores nothing: the
/// job's grain stores each outcome (one place) before its strategy sees it.
/// Builds and VM runs take hours, hence the long response timeouts; a node that dies fails its calls
/// as soon as the cluster declares it dead.
/// </summary>
[Alias("Culprit.Service.Grains.IWorkerGrain")]
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Checks the commit out in the job worker's tree on this node; the toolchain's description or null.</summary>
    [Alias("Prepare"), ResponseTimeout("1.00:00:00")]
    Task<string?> PrepareAsync(WorkerTask task, CancellationToken ct);

    /// <summary>The prepared commit's build as JSON when this node keeps one already (its kept kernel images), else null.</summary>
    [Alias("Kept"), ResponseTimeout("01:00:00")]
    Task<string?> KeptBuildAsync(WorkerTask task, CancellationToken ct);

    /// <summary>Builds the prepared commit; the build result as JSON (as the store writes it).</summary>
    [Alias("Build"), ResponseTimeout("1.00:00:00")]
    Task<string> BuildAsync(WorkerTask task, CancellationToken ct);

    /// <summary>Runs the test once on this node's build (JSON of its <c>BuildResult</c>); the run's outcome as JSON.</summary>
    [Alias("Run"), ResponseTimeout("1.00:00:00")]
    Task<string> RunAsync(WorkerTask task, string build, int runIndex, CancellationToken ct);

    /// <summary>The job worker is done: its tester here is disposed (worktree and output removed).</summary>
    [Alias("Release")]
    Task ReleaseAsync(string jobId, int worker);

    /// <summary>The job has ended: its steps still going on here are cancelled, every tester of it here is released and its workers' directories removed.</summary>
    [Alias("Forget")]
    Task ForgetAsync(string jobId);
}

/// <summary>
/// A step of a commit test for worker <paramref name="Worker"/> (from 0) of job <paramref name="JobId"/>,
/// sent by the job's grain on node <paramref name="Caller"/> (its silo address): a step whose caller
/// died is stopped (<c>Nodes/CallerWatch</c>), as the job is picked up again elsewhere and may use the
/// same worker's tree on this node.
/// </summary>
[GenerateSerializer, Immutable, Alias("Culprit.Service.Grains.WorkerTask")]
public sealed record WorkerTask(
    [property: Id(0)] string JobId,
    [property: Id(1)] int Worker,
    [property: Id(2)] string Commit,
    [property: Id(3)] string? Caller = null);
