using Culprit.Core.Domain;
using Culprit.Git;

namespace Culprit.Jobs;

/// <summary>
/// A real job's history: its git repository. The range is listed through the job's range cache
/// (<paramref name="workDir"/>/<see cref="RangeCache.FileName"/>, for resume), limited to
/// <paramref name="filter"/> (<c>--paths</c>, <c>--first-parent</c>) and leaving out what
/// <paramref name="moreGood"/> reach (the good commits after the first; a fix bisection has none); reverts and cherry-picks are made in a scratch worktree there.
/// </summary>
internal sealed class GitJobHistory(GitRepository repo, string workDir, RangeFilter filter, IReadOnlyList<string> moreGood) : IJobHistory
{
    public Task<CommitInfo> CommitInfoAsync(string commit, CancellationToken ct) => repo.CommitInfoAsync(commit, ct);

    public Task<IReadOnlyList<string>> ParentsAsync(string commit, CancellationToken ct) => repo.ParentsAsync(commit, ct);

    public Task<IReadOnlyList<(string Tag, string Commit)>> ReleaseTagsBeforeAsync(string commit, CancellationToken ct) =>
        repo.ReleaseTagsBeforeAsync(commit, ct);

    public Task<CommitGraph> RangeAsync(string newEnd, string oldEnd, CancellationToken ct) =>
        // Written aside: the job waits for the file at the end of its pass (JobRunner), not before its first decision.
        RangeCache.LoadOrListAsync(repo, Path.Combine(workDir, RangeCache.FileName), newEnd, [oldEnd, .. moreGood], filter, ct, writeAside: true);

    public async Task<string?> ApplyAsync(string commit, string onto, bool revert, bool isMerge, CancellationToken ct)
    {
        var scratch = Path.Combine(workDir, "verify");
        await repo.AddWorktreeAsync(scratch, onto, ct);
        try
        {
            var date = (await repo.CommitInfoAsync(onto, ct)).AuthorDate;
            return revert
                ? await GitRepository.CommitRevertAsync(scratch, commit, date, isMerge, ct)
                : await GitRepository.CommitCherryPickAsync(scratch, commit, date, isMerge, ct);
        }
        finally
        {
            await repo.RemoveWorktreeAsync(scratch, CancellationToken.None);
        }
    }

    public Task<string> ShowStatAsync(string commit, CancellationToken ct) => repo.ShowStatAsync(commit, ct);

    public async Task<IReadOnlyList<string>> MaintainersAsync(string commit, CancellationToken ct) =>
        (await new Kernel.Maintainers.MaintainersLookup(repo.Path).FindAsync(commit, ct)).Addresses;
}
