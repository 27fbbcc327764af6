using Culprit.Core.Domain;

namespace Culprit.Core.Flaky;

/// <summary>
/// Crash titles grouped into clusters: a run's title and its alt titles are one crash, so they join
/// one cluster, and two titles sharing an alt title end up together (the crash parser gives the
/// manifestations of one bug common alt titles). A cluster is named by its first-seen title.
/// </summary>
internal sealed class TitleClusters
{
    private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _firstSeen = new(StringComparer.Ordinal);
    private readonly List<string> _onBadCommit = [];
    private readonly List<string> _all = [];

    /// <summary>Adds the titles of a run's crash; true when the clusters changed.</summary>
    public bool Add(RunOutcome run, bool onBadCommit)
    {
        if (!IsCrash(run))
        {
            return false;
        }
        var title = run.Title ?? "";
        var changed = Touch(title);
        _all.Add(title);
        foreach (var alt in run.AltTitles ?? [])
        {
            changed |= Touch(alt);
            changed |= Union(title, alt);
        }
        if (onBadCommit)
        {
            _onBadCommit.Add(title);
            changed = true;
        }
        return changed;
    }

    /// <summary>The cluster of a crashed run (by its title), or null for runs that did not crash.</summary>
    public string? ClusterOf(RunOutcome run) => IsCrash(run) && _parent.ContainsKey(run.Title ?? "") ? Root(run.Title ?? "") : null;

    /// <summary>The cluster holding a title or alt title, or null if no run showed it yet.</summary>
    public string? ClusterOfTitle(string title) => _parent.ContainsKey(title) ? Root(title) : null;

    /// <summary>Clusters in the order their first title was seen.</summary>
    public IReadOnlyList<string> Clusters =>
        _parent.Keys.Where(t => Root(t) == t).OrderBy(t => _firstSeen[t]).ToList();

    public bool SeenOnBadCommit(string cluster) => _onBadCommit.Any(t => Root(t) == cluster);

    /// <summary>How many of the bad commit's runs crashed with this cluster.</summary>
    public int CountOnBadCommit(string cluster) => _onBadCommit.Count(t => Root(t) == cluster);

    /// <summary>How many runs, on any commit, crashed with this cluster.</summary>
    public int CountAll(string cluster) => _all.Count(t => Root(t) == cluster);

    /// <summary>Every title and alt title in a cluster.</summary>
    public IEnumerable<string> TitlesOf(string cluster) =>
        _parent.Keys.Where(t => Root(t) == cluster).OrderBy(t => _firstSeen[t]);

    /// <summary>Takes two clusters for one (the bug's titles before and after a rename); true when they were apart.</summary>
    public bool Join(string a, string b) => Union(a, b);

    public static bool IsCrash(RunOutcome run) => run.Result is RunResult.Crashed or RunResult.TimedOut;

    private bool Touch(string title)
    {
        if (_parent.ContainsKey(title))
        {
            return false;
        }
        _parent[title] = title;
        _firstSeen[title] = _firstSeen.Count;
        return true;
    }

    private string Root(string title)
    {
        while (_parent[title] != title)
        {
            title = _parent[title];
        }
        return title;
    }

    private bool Union(string a, string b)
    {
        var (ra, rb) = (Root(a), Root(b));
        if (ra == rb)
        {
            return false;
        }
        // The older title names the cluster, so names do not depend on which run came first in a test.
        if (_firstSeen[ra] < _firstSeen[rb])
        {
            _parent[rb] = ra;
        }
        else
        {
            _parent[ra] = rb;
        }
        return true;
    }
}
