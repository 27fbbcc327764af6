namespace Culprit.Core.Domain;

/// <summary>
/// The commits of a bisection range (ancestors of the bad commit that are not ancestors of a good
/// one), in the order <c>git rev-list</c> gives them (newest first), each with all its parents.
/// Parents outside the range are kept in the lists but are not part of the graph.
/// </summary>
public sealed class CommitGraph
{
    private readonly Dictionary<string, int> _index;
    private readonly string[] _order;
    private readonly string[][] _parents;

    public CommitGraph(IEnumerable<(string Commit, IReadOnlyList<string> Parents)> revList)
    {
        var items = revList.ToList();
        _order = items.Select(i => i.Commit).ToArray();
        _parents = items.Select(i => i.Parents.ToArray()).ToArray();
        _index = new Dictionary<string, int>(_order.Length, StringComparer.Ordinal);
        for (var i = 0; i < _order.Length; i++)
        {
            if (!_index.TryAdd(_order[i], i))
            {
                throw new ArgumentException($"commit {_order[i]} appears twice in the range");
            }
        }
    }

    /// <summary>Commits newest first, as rev-list printed them.</summary>
    public IReadOnlyList<string> Commits => _order;

    public int Count => _order.Length;

    public bool Contains(string commit) => _index.ContainsKey(commit);

    public int IndexOf(string commit) => _index.TryGetValue(commit, out var i) ? i : -1;

    /// <summary>All parents of a commit in the range (including parents outside the range).</summary>
    public IReadOnlyList<string> ParentsOf(string commit) => _parents[_index[commit]];

    internal string[] ParentsAt(int index) => _parents[index];

    /// <summary>Indexes of the in-range parents of the commit at <paramref name="index"/>.</summary>
    internal IEnumerable<int> RangeParentsAt(int index)
    {
        foreach (var p in _parents[index])
        {
            if (_index.TryGetValue(p, out var pi))
            {
                yield return pi;
            }
        }
    }

    /// <summary>The set of in-range ancestors of <paramref name="commit"/>, itself included.</summary>
    public HashSet<string> AncestorsOf(string commit)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (!_index.ContainsKey(commit))
        {
            return set;
        }
        var stack = new Stack<int>();
        stack.Push(_index[commit]);
        while (stack.Count > 0)
        {
            var i = stack.Pop();
            if (!set.Add(_order[i]))
            {
                continue;
            }
            foreach (var p in RangeParentsAt(i))
            {
                stack.Push(p);
            }
        }
        return set;
    }
}
