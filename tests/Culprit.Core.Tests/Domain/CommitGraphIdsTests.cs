using Culprit.Core.Domain;

namespace Culprit.Core.Tests.Domain;

/// <summary>
/// A range's commits are found by their hashes whatever the hashes share: the index keys on their
/// first bytes and keeps a few more bits beside each entry, so hashes alike there must still be
/// told apart by their full bytes, and parents repeated across lines resolve to one commit.
/// </summary>
public sealed class CommitGraphIdsTests
{
    [Fact]
    public void Hashes_alike_in_their_first_bytes_are_still_told_apart_and_parents_resolve_to_one_commit()
    {
        // 3,000 commits in a chain with merges; their hashes share the first five bytes in groups of
        // ten (same slot, same tag), and the chain's side parents point at commits far apart.
        const int count = 3000;
        var random = new Random(7);
        var hashes = new string[count + 1];
        for (var i = 0; i <= count; i++)
        {
            var bytes = new byte[20];
            random.NextBytes(bytes);
            bytes[0] = bytes[1] = bytes[2] = bytes[3] = (byte)(i / 10);
            bytes[4] = 0x33;
            hashes[i] = Convert.ToHexStringLower(bytes);
        }
        // Newest first, as rev-list lists them; commit i's first parent is i + 1 (hashes[count] is
        // outside the range), every seventh has a second parent further back.
        var builder = new CommitGraph.Builder();
        for (var i = 0; i < count; i++)
        {
            var line = hashes[i] + " " + hashes[i + 1];
            if (i % 7 == 0 && i + 50 < count)
            {
                line += " " + hashes[i + 50];
            }
            builder.AddLine(line);
        }
        var graph = builder.Build();

        Assert.Equal(count, graph.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i, graph.IndexOf(hashes[i]));
            Assert.Equal(hashes[i], graph.Commits[i]);
            var parents = graph.ParentsOf(hashes[i]);
            Assert.Equal(hashes[i + 1], parents[0]);
            Assert.Equal(i % 7 == 0 && i + 50 < count ? 2 : 1, parents.Count);
        }
        Assert.True(graph.IsBoundaryParent(hashes[count]));
        Assert.False(graph.Contains(hashes[count]));
        var other = hashes[5][..10] + new string('0', 30);
        Assert.Equal(-1, graph.IndexOf(other));
    }

    [Fact]
    public void Names_that_are_not_full_hashes_work_alongside_hashes()
    {
        var hash = new string('a', 40);
        var builder = new CommitGraph.Builder();
        builder.AddLine($"c3 c2 {hash}");
        builder.AddLine("c2 c1");
        builder.AddLine($"{hash} c1");
        var graph = builder.Build();

        Assert.Equal(["c3", "c2", hash], graph.Commits);
        Assert.Equal(["c2", hash], graph.ParentsOf("c3"));
        Assert.True(graph.IsBoundaryParent("c1"));
    }
}
