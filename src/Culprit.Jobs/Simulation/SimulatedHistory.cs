using System.Collections.Concurrent;
using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Git;

namespace Culprit.Jobs.Simulation;

/// <summary>
/// A scenario's history at the job's repository seam: its graph, its releases (tagged
/// <c>vN.0</c>, newest first) and the commits verification makes. A revert of a commit on top of
/// the bad commit is a commit of its own (<see cref="RevertOf"/>), which the tester runs as the bad
/// commit without what the reverted commit brought (<see cref="SimulatedTester"/>); one revert in
/// <see cref="RevertConflictChance"/> does not apply on the bad commit, drawn per commit from the scenario's seed.
/// </summary>
internal sealed class SimulatedHistory(Scenario scenario) : IJobHistory
{
    /// <summary>
    /// How often a revert on the bad commit conflicts (a later commit changed the same lines): the
    /// simulation's assumption, as the scenarios know no files. The later commit is drawn among the
    /// reverted commit's descendants: the revert conflicts on it and on what came after it, and applies
    /// on the commits before it (as a real revert applies near the commit it undoes).
    /// </summary>
    public const double RevertConflictChance = 0.1;

    private static readonly DateTimeOffset Date = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentDictionary<string, (string Reverted, string Onto)> _reverts = new(StringComparer.Ordinal);

    public CommitGraph Graph => scenario.Graph;

    /// <summary>The bad commit: the newest of the range.</summary>
    public string Bad => scenario.Graph.Commits[0];

    /// <summary>The range's oldest end: the first-parent root of the bad commit, outside the range and clean.</summary>
    public string Root
    {
        get
        {
            var commit = Bad;
            while (true)
            {
                var first = scenario.Graph.ParentsOf(commit)[0];
                if (!scenario.Graph.Contains(first))
                {
                    return first;
                }
                commit = first;
            }
        }
    }

    /// <summary>The commit reverted and the commit it was reverted on, when <paramref name="commit"/> is a revert this history made.</summary>
    public (string Reverted, string Onto)? RevertOf(string commit) => _reverts.TryGetValue(commit, out var made) ? made : null;

    /// <summary>The commit a chain of reverts this history made was made on (<paramref name="commit"/> itself when it is none).</summary>
    public string BaseOf(string commit)
    {
        while (RevertOf(commit) is { } revert)
        {
            commit = revert.Onto;
        }
        return commit;
    }

    public Task<CommitInfo> CommitInfoAsync(string commit, CancellationToken ct)
    {
        var index = scenario.Graph.IndexOf(commit);
        var subject = index >= 0 ? $"change {index}" : RevertOf(commit) is { } r ? $"Revert of {r.Reverted[..12]}" : $"commit {commit[..12]}";
        return Task.FromResult(new CommitInfo(commit, subject, "Developer", "dev@example.org", Date, "Maintainer", "maint@example.org", ""));
    }

    public Task<IReadOnlyList<string>> ParentsAsync(string commit, CancellationToken ct) =>
        Task.FromResult(scenario.Graph.Contains(commit) ? scenario.Graph.ParentsOf(commit)
            : RevertOf(commit) is { } r ? [r.Onto]
            : (IReadOnlyList<string>)[]);

    public Task<IReadOnlyList<(string Tag, string Commit)>> ReleaseTagsBeforeAsync(string commit, CancellationToken ct)
    {
        var releases = commit == Bad ? scenario.Facts.Releases ?? [] : [];
        return Task.FromResult<IReadOnlyList<(string Tag, string Commit)>>(releases.Select((r, i) => ($"v{releases.Count - i}.0", r)).ToList());
    }

    public Task<CommitGraph> RangeAsync(string newEnd, string oldEnd, CancellationToken ct)
    {
        var graph = scenario.Graph;
        if (newEnd == Bad && !graph.Contains(oldEnd))
        {
            // Every commit of the scenario is the bad commit's ancestor and none is the root's.
            return Task.FromResult(graph);
        }
        var excluded = graph.Contains(oldEnd) ? graph.AncestorsOf(oldEnd) : [];
        var included = graph.AncestorsOf(newEnd);
        return Task.FromResult(new CommitGraph(graph.Commits.Where(c => included.Contains(c) && !excluded.Contains(c)).Select(c => (c, graph.ParentsOf(c)))));
    }

    public Task<string?> ApplyAsync(string commit, string onto, bool revert, bool isMerge, CancellationToken ct)
    {
        // Simulated jobs bisect causes: a fix's cherry-pick is never asked for.
        if (!revert)
        {
            throw new NotSupportedException("simulated jobs bisect the cause of a crash");
        }
        var key = Key(commit);
        if (ConflictsAt(commit, key) is { } conflict && BaseOf(onto) is var under && scenario.Graph.IndexOf(under) is >= 0 and var at
            && scenario.Graph.Ancestry.IsAncestor(conflict, at))
        {
            return Task.FromResult<string?>(null);
        }
        var made = new SimRandom(SimRandom.Mix(scenario.Seed, key, Key(onto), 0x2E7E_2701UL)).NextHash();
        _reverts[made] = (commit, onto);
        return Task.FromResult<string?>(made);
    }

    public Task<string> ShowStatAsync(string commit, CancellationToken ct) => Task.FromResult($" change {scenario.Graph.IndexOf(commit)} | 1 +");

    public Task<IReadOnlyList<string>> MaintainersAsync(string commit, CancellationToken ct) => Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>
    /// The later commit that changed the lines <paramref name="commit"/> changed (its revert conflicts from there on),
    /// when there is one; on the bad commit, the revert conflicts with <see cref="RevertConflictChance"/>.
    /// </summary>
    private int? ConflictsAt(string commit, ulong key)
    {
        var rng = new SimRandom(SimRandom.Mix(scenario.Seed, key, 0x2E7E_2700UL));
        var at = scenario.Graph.IndexOf(commit);
        if (!rng.Chance(RevertConflictChance) || at < 0)
        {
            return null;
        }
        var ancestry = scenario.Graph.Ancestry;
        var later = Enumerable.Range(0, scenario.Graph.Count).Where(i => i != at && ancestry.IsAncestor(at, i)).ToList();
        return later.Count == 0 ? at : later[rng.Next(later.Count)];
    }

    /// <summary>A commit's number for the random streams: its index in the range, else its hash's first 64 bits.</summary>
    public ulong Key(string commit)
    {
        var index = scenario.Graph.IndexOf(commit);
        return index >= 0 ? (ulong)index : 0x8000_0000_0000_0000UL ^ Convert.ToUInt64(commit[..16], 16);
    }
}
