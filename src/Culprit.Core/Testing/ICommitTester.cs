using Culprit.Core.Domain;

namespace Culprit.Core.Testing;

/// <summary>
/// The seam between a job and the world: checks out and builds a commit, then runs its test. One
/// implementation runs user commands (any git project), another builds a kernel and boots it in QEMU.
/// The job drives the calls so that it can log, store, reuse signatures and run in parallel.
/// </summary>
public interface ICommitTester : IAsyncDisposable
{
    /// <summary>How many runs may go at once (VMs for the kernel).</summary>
    int ParallelRuns { get; }

    /// <summary>
    /// Whether a build stays usable after later builds (kernel images are kept by signature), so a
    /// commit tested again later runs on its first build instead of a second one.
    /// </summary>
    bool KeepsBuilds => false;

    /// <summary>
    /// Whether this tester and its other workers' (<see cref="ForWorkerAsync"/>) build on one machine:
    /// then a build made ahead starts only once the builds its round waits for are done, as two builds
    /// there share the processors. A tester that builds each commit on a machine of its own says false.
    /// </summary>
    bool BuildsShareMachine => true;

    /// <summary>
    /// A line for the job's log about the test environment (the VMs' accelerator), or null: chosen at
    /// setup, it may change while the runs go on (the VMs fell back from KVM to TCG); the job logs each once.
    /// </summary>
    string? SetupNote => null;

    /// <summary>
    /// Checks the commit out and picks the toolchain; returns its description for the log
    /// (<c>gcc (GCC) 12.2.0</c>) or null when there is none to name.
    /// </summary>
    Task<string?> PrepareAsync(string commit, CancellationToken cancellationToken);

    /// <summary>
    /// The prepared commit's build when the machine keeps one already (a kernel image any worker there
    /// built with the same config and compiler), so the job can say it is not built; null otherwise.
    /// </summary>
    Task<BuildResult?> KeptBuildAsync(string commit, CancellationToken cancellationToken) => Task.FromResult<BuildResult?>(null);

    /// <summary>Builds the prepared commit. A failed build is a result, not an exception.</summary>
    Task<BuildResult> BuildAsync(string commit, CancellationToken cancellationToken);

    /// <summary>Runs the test once on a successful build; <paramref name="runIndex"/> counts the commit's runs in the job from 0.</summary>
    Task<RunOutcome> RunAsync(BuildResult build, int runIndex, CancellationToken cancellationToken);

    /// <summary>
    /// A tester for another worker of the same job (<paramref name="worker"/> from 1), testing other
    /// commits at the same time: its own worktree and output directory, the machines (VM slots)
    /// shared with this one. Disposing it leaves the shared machines to this tester.
    /// </summary>
    Task<ICommitTester> ForWorkerAsync(int worker, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot test commits in parallel (--workers 1)");

    /// <summary>
    /// The job's range, once listed (before its bisection tests): a tester that places commits on
    /// machines (the service's dispatcher) tells from it how far apart two commits are. Testers of one
    /// machine have no use for it.
    /// </summary>
    void RangeListed(CommitGraph range)
    {
    }
}

/// <summary>
/// The build of one commit. <paramref name="Signature"/> is a hash of what was built (equal
/// signatures mean equal binaries); <paramref name="Artifact"/> is where the tester keeps it.
/// <paramref name="Inputs"/>: the source files the build read (tree-relative paths), when the tester
/// knows them; a commit whose diff touches none of them builds the same thing (build avoidance).
/// <paramref name="Kept"/>: the build was found kept on the machine (a worker there built the commit
/// before, for this or another job): no build ran for it.
/// </summary>
public sealed record BuildResult(
    string Commit,
    bool Ok,
    string? Error,
    string? Compiler,
    string? Signature,
    double Seconds,
    string? Artifact = null,
    IReadOnlyList<string>? Inputs = null,
    bool Kept = false)
{
    /// <summary>What the job's log should say about how this build was made (one built from a clean tree after an unfinished one), or null.</summary>
    public string? Note { get; init; }

    /// <summary>The note of a build made from a clean tree because the last build there never finished.</summary>
    public const string AfterUnfinishedBuild = "the last build here did not finish (killed, stopped or timed out): building from a clean tree";
}
