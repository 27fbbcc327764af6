using Culprit.Core.Domain;
using Culprit.Git;

namespace Culprit.Jobs;

/// <summary>
/// The repository questions a job's flow asks (<see cref="JobExecution"/>, its verifier and its
/// result): one seam, so the same flow runs over git for a real job (<see cref="GitJobHistory"/>) and
/// over a generated scenario for <c>culprit simulate</c> (<c>Simulation.SimulatedHistory</c>).
/// </summary>
internal interface IJobHistory
{
    /// <summary>What the log and the result show of a commit.</summary>
    Task<CommitInfo> CommitInfoAsync(string commit, CancellationToken ct);

    Task<IReadOnlyList<string>> ParentsAsync(string commit, CancellationToken ct);

    /// <summary>Release tags that are ancestors of <paramref name="commit"/>, newest first (the release walk).</summary>
    Task<IReadOnlyList<(string Tag, string Commit)>> ReleaseTagsBeforeAsync(string commit, CancellationToken ct);

    /// <summary>The range to bisect: <paramref name="newEnd"/>'s ancestors that are not <paramref name="oldEnd"/>'s.</summary>
    Task<CommitGraph> RangeAsync(string newEnd, string oldEnd, CancellationToken ct);

    /// <summary>
    /// <paramref name="commit"/> reverted on top of <paramref name="onto"/> (or cherry-picked onto it when
    /// <paramref name="revert"/> is false) as a commit of its own, the same on every resume; null when it does not apply.
    /// </summary>
    Task<string?> ApplyAsync(string commit, string onto, bool revert, bool isMerge, CancellationToken ct);

    /// <summary><c>git show --stat</c> of the culprit, for the closing block.</summary>
    Task<string> ShowStatAsync(string commit, CancellationToken ct);

    /// <summary>Who MAINTAINERS says looks after what the commit changed (kernel mode's cc).</summary>
    Task<IReadOnlyList<string>> MaintainersAsync(string commit, CancellationToken ct);
}
