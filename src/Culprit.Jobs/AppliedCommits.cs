namespace Culprit.Jobs;

/// <summary>Several commits reverted (or cherry-picked) one after another: the verifier's and the reintroduction search's one way to do it.</summary>
internal static class AppliedCommits
{
    /// <summary>
    /// <paramref name="onto"/> with <paramref name="commits"/> applied in turn (a merge against its first parent);
    /// the last commit made, or the commit that does not apply.
    /// </summary>
    public static async Task<(string? Made, string? NotApplying)> ApplyAllAsync(this IJobHistory repo, IReadOnlyList<string> commits, string onto,
        bool revert, CancellationToken ct)
    {
        var at = onto;
        foreach (var commit in commits)
        {
            var isMerge = (await repo.ParentsAsync(commit, ct)).Count > 1;
            if (await repo.ApplyAsync(commit, at, revert, isMerge, ct) is not { } made)
            {
                return (null, commit);
            }
            at = made;
        }
        return (at, null);
    }
}
