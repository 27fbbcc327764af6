using Culprit.Core.Domain;

namespace Culprit.Git.Tests;

/// <summary>
/// The range a bisection decides on is the whole range: rev-list is streamed, never cut by the
/// process helper's capture limit (8 Mi characters, about 120k commits), and a listing whose ends
/// are not the commits asked for is refused.
/// </summary>
public sealed class RangeTests
{
    [Fact]
    public async Task A_range_larger_than_the_capture_limit_is_read_whole_with_full_hashes()
    {
        var history = await BigHistory.CachedAsync(150_000);
        var git = await GitRepository.OpenAsync(history.Path);

        var graph = await git.RangeAsync(history.Bad, [history.Good]);

        Assert.Equal(149_999, graph.Count);
        Assert.Equal(history.Bad, graph.Commits[0]);
        Assert.True(graph.Contains(history.Culprit));
        Assert.True(graph.IsBoundaryParent(history.Good));
        Assert.All([graph.Commits[0], graph.Commits[74_999], graph.Commits[^1]], c => Assert.Equal(40, c.Length));
    }

    [Fact]
    public void A_listing_cut_at_its_head_is_refused()
    {
        // What a tail-keeping capture left: the newest commits (the bad one among them) gone.
        var full = Chain(6);
        var cut = CommitGraph.FromRevList(full.Skip(2));

        var error = Assert.Throws<GitException>(() => GitRepository.CheckEnds(cut, Hash(5), [Hash(0)]));
        Assert.Contains("does not contain the bad commit", error.Message);
    }

    [Fact]
    public void A_listing_that_does_not_start_at_the_bad_commit_is_refused()
    {
        var full = Chain(6);
        var swapped = CommitGraph.FromRevList([full[1], full[0], .. full.Skip(2)]);

        var error = Assert.Throws<GitException>(() => GitRepository.CheckEnds(swapped, Hash(5), [Hash(0)]));
        Assert.Contains("does not start at the bad commit", error.Message);
    }

    [Fact]
    public void A_listing_that_does_not_reach_the_good_commit_is_refused()
    {
        var full = Chain(6);
        var cut = CommitGraph.FromRevList(full.Take(3));

        var error = Assert.Throws<GitException>(() => GitRepository.CheckEnds(cut, Hash(5), [Hash(0)]));
        Assert.Contains("does not end at the good commit", error.Message);
        GitRepository.CheckEnds(CommitGraph.FromRevList(full), Hash(5), [Hash(0)]);
    }

    [Fact]
    public async Task A_small_range_is_read_whole_with_full_hashes()
    {
        using var temp = new TempDir("culprit-range");
        var repo = await GeneratedRepository.CreateAsync(temp.Sub("r"), seed: 3, commits: 12, mergeRate: 0, brokenRate: 0);
        var git = await GitRepository.OpenAsync(repo.Path);

        var graph = await git.RangeAsync(repo.Hashes[^1], [repo.Hashes[0]]);

        Assert.Equal(repo.Count - 1, graph.Count);
        Assert.All(graph.Commits, c => Assert.Equal(40, c.Length));
    }

    [Fact]
    public async Task A_path_limited_range_that_no_commit_touches_is_refused_as_git_bisect_refuses_it()
    {
        using var temp = new TempDir("culprit-range-paths");
        var repo = await GeneratedRepository.CreateAsync(temp.Sub("r"), seed: 3, commits: 12, mergeRate: 0, brokenRate: 0);
        var git = await GitRepository.OpenAsync(repo.Path);
        var (bad, good) = (repo.Hashes[^1], repo.Hashes[0]);

        var error = await Assert.ThrowsAsync<GitException>(() => git.RangeAsync(bad, [good], new RangeFilter(["no-such-file"])));

        Assert.Equal($"--paths: no commit between {good} and {bad} touches no-such-file: nothing to bisect (git bisect: No testable commit found)", error.Message);
        Assert.False(await git.AnyCommitTouchesAsync(bad, [good], ["no-such-file"]));
        Assert.True(await git.AnyCommitTouchesAsync(bad, [good], ["bug"]));
        Assert.True((await git.RangeAsync(bad, [good], new RangeFilter(["bug"]))).Contains(bad));
    }

    // Commits 5 (newest) .. 1, each the child of the one before; 0 is the good commit.
    private static List<string> Chain(int n) =>
        Enumerable.Range(1, n - 1).Reverse().Select(i => $"{Hash(i)} {Hash(i - 1)}").ToList();

    private static string Hash(int i) => i.ToString("x40", System.Globalization.CultureInfo.InvariantCulture);
}
