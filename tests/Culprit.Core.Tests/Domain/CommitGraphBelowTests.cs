using Culprit.Core.Domain;

namespace Culprit.Core.Tests.Domain;

/// <summary>
/// <see cref="CommitGraph.Below"/>: the range a bisection with a commit of the range as its crashing end
/// lists (its ancestors in the range, itself included), whatever made the first range.
/// </summary>
public sealed class CommitGraphBelowTests
{
    // good - a - b - m - d (tip);  a - s - m (a side branch merged at m);  x - y (a line the good commit x ends), y - b.
    private static readonly string[] RevList =
    [
        "d000 m000",
        "m000 b000 s000",
        "s000 a000",
        "b000 a000 y000",
        "y000 x000",
        "a000 g000",
    ];

    [Fact]
    public void The_range_below_a_merge_holds_both_its_sides_and_their_parents_as_listed()
    {
        var graph = CommitGraph.FromRevList(RevList);

        var below = graph.Below("m000");

        Assert.Equal(["m000", "s000", "b000", "y000", "a000"], below.Commits);
        Assert.Equal(["b000", "s000"], below.ParentsOf("m000"));
        // Parents outside the first range stay outside: the good commits bound the range below as they bound the first.
        Assert.False(below.Contains("g000"));
        Assert.False(below.Contains("x000"));
        Assert.True(below.IsBoundaryParent("g000"));
        Assert.True(below.Ancestry.IsAncestor(below.IndexOf("a000"), below.IndexOf("m000")));
    }

    [Fact]
    public void The_range_below_a_commit_on_one_line_leaves_the_other_line_out()
    {
        var graph = CommitGraph.FromRevList(RevList);

        Assert.Equal(["s000", "a000"], graph.Below("s000").Commits);
        Assert.Equal(["a000"], graph.Below("a000").Commits);
        Assert.Throws<KeyNotFoundException>(() => graph.Below("g000"));
    }
}
