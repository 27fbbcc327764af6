using Culprit.Core.Domain;

namespace Culprit.Git.Tests;

/// <summary>
/// A job's range file: written by the first listing, read back by the next one instead of running
/// rev-list, and passed over (the range listed and the file written again) when it is damaged or
/// written for another range.
/// </summary>
public sealed class RangeCacheTests : IDisposable
{
    private readonly TempDir _temp = new("culprit-range-cache");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_second_load_reads_the_file_and_gives_the_listed_range()
    {
        var history = await BigHistory.CreateAsync(_temp.Sub("repo"), 3000, bugAt: 1700);
        var git = await GitRepository.OpenAsync(history.Path);
        var file = Path.Combine(_temp.Sub("job"), RangeCache.FileName);
        var listed = await git.RangeAsync(history.Bad, [history.Good]);

        var first = await RangeCache.LoadOrListAsync(git, file, history.Bad, [history.Good]);
        var written = File.GetLastWriteTimeUtc(file);
        File.SetLastWriteTimeUtc(file, written.AddMinutes(-5));
        var second = await RangeCache.LoadOrListAsync(git, file, history.Bad, [history.Good]);

        AssertSame(listed, first);
        AssertSame(listed, second);
        // Read, not listed and written again.
        Assert.Equal(written.AddMinutes(-5), File.GetLastWriteTimeUtc(file));
    }

    [Fact]
    public async Task A_file_written_aside_is_in_place_once_waited_for_and_reads_back_as_the_range()
    {
        var history = await BigHistory.CreateAsync(_temp.Sub("repo"), 3000, bugAt: 1700);
        var git = await GitRepository.OpenAsync(history.Path);
        var file = Path.Combine(_temp.Sub("job"), RangeCache.FileName);

        var listed = await RangeCache.LoadOrListAsync(git, file, history.Bad, [history.Good], writeAside: true);
        await RangeCache.WaitForWriteAsync(file);
        var earlier = File.GetLastWriteTimeUtc(file).AddMinutes(-5);
        File.SetLastWriteTimeUtc(file, earlier);
        var read = await RangeCache.LoadOrListAsync(git, file, history.Bad, [history.Good], writeAside: true);
        var readTime = File.GetLastWriteTimeUtc(file);
        RangeCache.Remove(file);

        AssertSame(listed, read);
        // Read back, not listed and written again.
        Assert.Equal(earlier, readTime);
        Assert.False(File.Exists(file));
    }

    [Theory]
    [InlineData("flipped")]
    [InlineData("cut")]
    [InlineData("other range")]
    public async Task A_damaged_or_foreign_file_is_passed_over_and_written_again(string damage)
    {
        var history = await BigHistory.CreateAsync(_temp.Sub("repo"), 2000, bugAt: 900);
        var git = await GitRepository.OpenAsync(history.Path);
        var file = Path.Combine(_temp.Sub("job"), RangeCache.FileName);
        var listed = await git.RangeAsync(history.Bad, [history.Good]);
        var culpritParent = (await git.ParentsAsync(history.Culprit))[0];
        await RangeCache.LoadOrListAsync(git, file, damage == "other range" ? history.Bad : history.Culprit, [history.Good]);
        var bytes = await File.ReadAllBytesAsync(file);
        if (damage == "flipped")
        {
            bytes[bytes.Length * 2 / 3] ^= 1;
        }
        await File.WriteAllBytesAsync(file, damage == "cut" ? bytes[..(bytes.Length - 9)] : bytes);

        var (bad, good) = damage == "other range" ? (history.Bad, culpritParent) : (history.Culprit, history.Good);
        var loaded = await RangeCache.LoadOrListAsync(git, file, bad, [good]);

        AssertSame(await git.RangeAsync(bad, [good]), loaded);
        await using var stream = File.OpenRead(file);
        Assert.NotNull(CommitGraphFile.Read(stream, RangeCache.Key(git, bad, [good])));
        Assert.NotEqual(listed.Count, loaded.Count);
    }

    [Fact]
    public async Task A_file_written_for_the_whole_range_is_not_read_for_its_first_parent_line()
    {
        var history = await BigHistory.CreateAsync(_temp.Sub("repo"), 2000, bugAt: 900);
        var git = await GitRepository.OpenAsync(history.Path);
        var file = Path.Combine(_temp.Sub("job"), RangeCache.FileName);
        var whole = await RangeCache.LoadOrListAsync(git, file, history.Bad, [history.Good]);

        var line = await RangeCache.LoadOrListAsync(git, file, history.Bad, [history.Good], new RangeFilter(FirstParent: true));

        var firstParents = await Culprit.Processes.ProcessRunner.RunCheckedAsync(
            Culprit.Processes.ProcessSpec.Of("git", "-C", history.Path, "rev-list", "--first-parent", history.Bad, "--not", history.Good));
        Assert.Equal(firstParents.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), line.Commits);
        Assert.True(line.Count < whole.Count);
        // A line: every commit's only parent in the graph is its first parent in git.
        foreach (var c in line.Commits.Take(200))
        {
            Assert.Equal([(await git.ParentsAsync(c))[0]], line.ParentsOf(c));
        }
        AssertSame(line, await RangeCache.LoadOrListAsync(git, file, history.Bad, [history.Good], new RangeFilter(FirstParent: true)));
    }

    private static void AssertSame(CommitGraph expected, CommitGraph actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Commits, actual.Commits);
        for (var i = 0; i < expected.Count; i += 7)
        {
            var c = expected.Commits[i];
            Assert.Equal(expected.ParentsOf(c), actual.ParentsOf(c));
            Assert.Equal(expected.Ancestry.PositionOf(i), actual.Ancestry.PositionOf(i));
            Assert.Equal(expected.Ancestry.IsAncestor(i / 2, i), actual.Ancestry.IsAncestor(i / 2, i));
        }
    }
}
