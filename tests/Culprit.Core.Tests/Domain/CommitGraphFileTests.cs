using System.Globalization;
using Culprit.Core.Domain;

namespace Culprit.Core.Tests.Domain;

/// <summary>
/// A range written to its file reads back as the same graph, and a file that is not exactly what
/// was written for that range (another key, any byte changed, cut short, grown) reads as nothing.
/// </summary>
public sealed class CommitGraphFileTests
{
    private const string Key = "repo /r\nbad b\ngood g";

    [Fact]
    public void A_graph_reads_back_with_the_same_commits_parents_and_ancestry()
    {
        var graph = MergeHistory();

        var back = CommitGraphFile.Read(new MemoryStream(Written(graph)), Key);

        Assert.NotNull(back);
        Assert.Equal(graph.Commits, back.Commits);
        for (var i = 0; i < graph.Count; i++)
        {
            Assert.Equal(graph.ParentsOf(graph.Commits[i]), back.ParentsOf(graph.Commits[i]));
            Assert.Equal(graph.RangeParentsAt(i).ToArray(), back.RangeParentsAt(i).ToArray());
            Assert.Equal(graph.Ancestry.PositionOf(i), back.Ancestry.PositionOf(i));
            for (var j = 0; j < graph.Count; j++)
            {
                Assert.Equal(graph.Ancestry.IsAncestor(j, i), back.Ancestry.IsAncestor(j, i));
            }
        }
        Assert.True(back.IsBoundaryParent(Hash(0)));
        Assert.Equal(-1, back.IndexOf(Hash(999)));
    }

    [Fact]
    public void A_file_written_for_another_range_reads_as_nothing()
    {
        var bytes = Written(MergeHistory());

        Assert.Null(CommitGraphFile.Read(new MemoryStream(bytes), Key + "\ngood h"));
    }

    [Fact]
    public void Any_byte_changed_or_cut_or_added_makes_the_file_read_as_nothing()
    {
        var bytes = Written(MergeHistory());

        for (var k = 0; k < bytes.Length; k++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[k] ^= 0x10;
            Assert.Null(CommitGraphFile.Read(new MemoryStream(damaged), Key));
        }
        foreach (var length in new[] { 0, 5, bytes.Length / 2, bytes.Length - 1 })
        {
            Assert.Null(CommitGraphFile.Read(new MemoryStream(bytes[..length]), Key));
        }
        Assert.Null(CommitGraphFile.Read(new MemoryStream([.. bytes, 0]), Key));
    }

    [Fact]
    public void A_graph_of_names_that_are_not_hashes_is_not_written()
    {
        var graph = CommitGraph.FromRevList(["c b", "b a"]);

        Assert.False(CommitGraphFile.Write(graph, Key, new MemoryStream()));
    }

    private static byte[] Written(CommitGraph graph)
    {
        var stream = new MemoryStream();
        Assert.True(CommitGraphFile.Write(graph, Key, stream));
        return stream.ToArray();
    }

    /// <summary>
    /// A mainline 1..8 over the good commit 0, with a side branch 9..11 forked from 2 and merged by 6,
    /// listed newest first with parents as rev-list gives them.
    /// </summary>
    private static CommitGraph MergeHistory()
    {
        (int Commit, int[] Parents)[] lines =
        [
            (8, [7]), (7, [6]), (6, [5, 11]), (11, [10]), (10, [9]), (9, [2]), (5, [4]), (4, [3]), (3, [2]), (2, [1]), (1, [0]),
        ];
        return CommitGraph.FromRevList(lines.Select(l => string.Join(' ', [Hash(l.Commit), .. l.Parents.Select(Hash)])));
    }

    private static string Hash(int i) => i.ToString("x40", CultureInfo.InvariantCulture);
}
