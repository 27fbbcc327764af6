using Culprit.Core.Domain;

namespace Culprit.Jobs;

/// <summary>
/// Where a revert that does not apply on the bad commit is tried instead: a later commit changed the
/// lines it undoes, and before that commit it still applies. The newest commit the job saw crash with
/// the bug that contains the reverted ones is one such base (the revert there is read against a crash
/// already seen); the newest commit where the revert applies on the line from the bad commit down to
/// the culprit (first parents where they contain it) comes before it when it leaves fewer of the
/// culprit's descendants unchecked. That one is found by bisecting the line with reverts alone (no
/// builds), as a revert applies before the commit it conflicts with and not after it; it may never
/// have been tested, so the verifier tests it as it is first, and one that does not crash shows the
/// bug went away after the culprit (a fix, then a return the revert cannot reach).
/// </summary>
/// <param name="judgedBad">Whether the job judged a commit bad (crashing with the bug).</param>
internal sealed class RevertBases(IJobHistory repo, CommitGraph graph, string bad, Func<string, bool> judgedBad)
{
    /// <summary>How many of the commits seen crashing a revert that does not apply on the bad commit is tried on.</summary>
    private const int MaxSeenCrashing = 6;

    /// <summary>A commit the revert applies on: the revert made there, and whether the job saw the commit crash with the bug.</summary>
    /// <param name="Unreached">
    /// On the line from the bad commit, the commits after it up to the bad commit (not included), newest first: the
    /// revert does not apply on them. The last is where it stops applying: it changed the lines the culprit changed, as a fix does.
    /// </param>
    public sealed record Base(string On, string Made, bool SeenCrashing, IReadOnlyList<string>? Unreached = null);

    /// <summary>The commits to try the revert of <paramref name="reverted"/> (newest first) on, best first: each one it applies on.</summary>
    public async Task<IReadOnlyList<Base>> FindAsync(IReadOnlyList<string> reverted, CancellationToken ct)
    {
        if (reverted.Count == 0 || reverted.Any(c => !graph.Contains(c)))
        {
            return [];
        }
        var under = reverted.Select(graph.IndexOf).ToList();
        bool Contains(int i) => under.All(u => u != i && graph.Ancestry.IsAncestor(u, i));
        var bases = new List<Base>();
        var seen = graph.Commits.Select((c, i) => (c, i)).Where(x => x.c != bad && Contains(x.i) && judgedBad(x.c))
            .OrderByDescending(x => graph.Ancestry.PositionOf(x.i)).Select(x => x.c).Take(MaxSeenCrashing);
        var (newest, unreached) = await NewestOnLineAsync(reverted, Contains, ct);
        foreach (var commit in seen)
        {
            if ((await repo.ApplyAllAsync(reverted, commit, true, ct)).Made is { } made)
            {
                // What the line holds beyond it is left for the verifier to probe, as after the line's own base.
                var at = graph.IndexOf(commit);
                bases.Add(new Base(commit, made, true, unreached.Where(c => !graph.Ancestry.IsAncestor(graph.IndexOf(c), at)).ToList()));
                break;
            }
        }
        if (newest is { } line && bases.All(b => b.On != line.On)
            && (bases.Count == 0 || UncheckedShare(graph, reverted[0], line.On) < UncheckedShare(graph, reverted[0], bases[0].On)))
        {
            bases.Insert(0, line);
        }
        return bases;
    }

    /// <summary>
    /// The newest commit where the revert of <paramref name="reverted"/> applies on the line from the bad commit down to
    /// them (first parents, else the parent that contains them: the merge that brought them in, then their branch;
    /// the bad commit itself not among them), by bisecting the line; and the line's commits newer than it (all of them
    /// when there is none), where the revert does not apply.
    /// </summary>
    private async Task<(Base? Newest, IReadOnlyList<string> Unreached)> NewestOnLineAsync(IReadOnlyList<string> reverted, Func<int, bool> contains, CancellationToken ct)
    {
        var line = new List<string>();
        var at = graph.IndexOf(bad);
        while (at >= 0 && graph.ParentsOf(graph.Commits[at]).Select(graph.IndexOf).FirstOrDefault(p => p >= 0 && contains(p), -1) is var parent and >= 0)
        {
            line.Add(graph.Commits[parent]);
            at = parent;
        }
        // Newest first: the revert conflicts on a prefix of the line and applies on the rest.
        Base? found = null;
        int lo = 0, hi = line.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if ((await repo.ApplyAllAsync(reverted, line[mid], true, ct)).Made is { } made)
            {
                found = new Base(line[mid], made, judgedBad(line[mid]), line[..mid]);
                hi = mid - 1;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return (found, found?.Unreached ?? line);
    }

    /// <summary>
    /// The share of the culprit's descendants in the range that come after <paramref name="on"/> (not its
    /// ancestors): where a reintroduction a revert on <paramref name="on"/> cannot see could lie.
    /// </summary>
    public static double UncheckedShare(CommitGraph graph, string culprit, string on)
    {
        var (c, o) = (graph.IndexOf(culprit), graph.IndexOf(on));
        if (c < 0 || o < 0)
        {
            return 1;
        }
        int after = 0, all = 0;
        for (var i = 0; i < graph.Count; i++)
        {
            if (i != c && graph.Ancestry.IsAncestor(c, i))
            {
                all++;
                after += graph.Ancestry.IsAncestor(i, o) ? 0 : 1;
            }
        }
        return all == 0 ? 0 : (double)after / all;
    }
}
