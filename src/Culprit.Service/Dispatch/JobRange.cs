using Culprit.Core.Domain;

namespace Culprit.Service.Dispatch;

/// <summary>
/// A job's range as its dispatchers know it once the job has listed it: how many commits apart two
/// of its commits are (their distance in the listing's order), in memory, so that choosing a node
/// never waits for git. Before the listing (the ends' tests) nothing is near anything.
/// </summary>
public sealed class JobRange
{
    private volatile CommitGraph? _graph;

    public CommitGraph? Graph
    {
        get => _graph;
        set => _graph = value;
    }

    /// <summary>Commits between <paramref name="a"/> and <paramref name="b"/>; null when either is outside the range or it is not listed yet.</summary>
    public int? Distance(string a, string b) =>
        _graph is { } graph && graph.IndexOf(a) is >= 0 and var i && graph.IndexOf(b) is >= 0 and var j ? Math.Abs(i - j) : null;
}
