using Culprit.Jobs;
using Culprit.Service.Dispatch;
using Culprit.Service.Submissions;
using Culprit.Store;
using Microsoft.Extensions.Logging;

namespace Culprit.Service.Nodes;

/// <summary>
/// Makes the <see cref="JobRunner"/> a job grain runs its job with, on this node's work directory: its
/// workers' commits are dispatched to the cluster's nodes (<see cref="DispatchingTester"/>), and its
/// repository is this node's clone of the submitted URL (or the submitted path).
/// </summary>
public sealed class JobRunners(
    ServiceOptions options, IGrainFactory grains, NodeChooser chooser, RepositoryCache repositories, ILocalSiloDetails silo, ILogger<JobRunners> logger)
{
    /// <summary>Said in the job's log line when a user cancels it: <c>stopped by a cancel request; resume with: …</c>.</summary>
    public const string CancelCause = "a cancel request";

    public JobRunner Create(JobStore store, IJobListener listener) =>
        new(store, Dispatched, listener, options.JobsDir) { StopCause = () => CancelCause, RepositoryPath = repositories.PathOfAsync };

    private Task<Core.Testing.ICommitTester> Dispatched(JobSpec spec, Git.GitRepository repo, string jobId, CancellationToken ct) =>
        Task.FromResult<Core.Testing.ICommitTester>(new DispatchingTester(grains, chooser, logger, spec, jobId, 0, caller: silo.SiloAddress.ToParsableString()));
}
