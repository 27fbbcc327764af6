using Culprit.Jobs;
using Culprit.Store;

namespace Culprit.Service.Nodes;

/// <summary>Makes the <see cref="JobRunner"/> a job grain runs its job with, on this node's work directory and testers.</summary>
public sealed class JobRunners(ServiceOptions options)
{
    /// <summary>Said in the job's log line when a user cancels it: <c>stopped by a cancel request; resume with: …</c>.</summary>
    public const string CancelCause = "a cancel request";

    private readonly TesterFactory _testers = options.Testers(options.JobsDir);

    public JobRunner Create(JobStore store, IJobListener listener) =>
        new(store, _testers, listener, options.JobsDir) { StopCause = () => CancelCause };
}
