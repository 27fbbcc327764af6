using Culprit.Kernel.Releases;

namespace Culprit.Kernel.Tests;

public sealed class ReleaseTagsTests
{
    // v6.6 back to v4.0: 6.0-6.6 (7), 5.0-5.19 (20), 4.0-4.20 (21).
    private static readonly string[] AllReleases =
    [
        .. Enumerable.Range(0, 7).Select(i => $"v6.{i}"),
        .. Enumerable.Range(0, 20).Select(i => $"v5.{i}"),
        .. Enumerable.Range(0, 21).Select(i => $"v4.{i}"),
    ];

    [Fact]
    public void Recent_releases_are_tested_one_by_one_and_older_ones_sparser()
    {
        var picked = ReleaseTags.Pick(AllReleases);
        Assert.Equal(
            ["v6.6", "v6.5", "v6.4", "v6.2", "v6.0", "v5.18", "v5.16", "v5.14", "v5.11", "v5.8", "v5.5", "v5.2", "v4.20", "v4.17", "v4.14", "v4.11", "v4.8", "v4.5", "v4.2", "v4.0"],
            picked);
    }

    [Fact]
    public void Release_candidates_and_other_tags_are_ignored()
    {
        var picked = ReleaseTags.Pick(["v6.2-rc3", "v6.1", "v6.1.7", "culprit-test-head", "v6.1-culprit-test", "next-20230101", "v6.0"]);
        Assert.Equal(["v6.1", "v6.0"], picked);
    }

    [Fact]
    public void Tags_in_any_order_are_picked_newest_first() =>
        Assert.Equal(["v5.10", "v5.9", "v4.19"], ReleaseTags.Pick(["v4.19", "v5.10", "v5.9"]));

    [Fact]
    public void The_walk_stops_at_the_oldest_release_and_tests_it()
    {
        var picked = ReleaseTags.Pick(AllReleases, oldestRelease: "v5.16");
        Assert.Equal(["v6.6", "v6.5", "v6.4", "v6.2", "v6.0", "v5.18", "v5.16"], picked);
    }

    [Fact]
    public void An_oldest_release_that_is_not_a_release_tag_is_refused() =>
        Assert.Throws<ArgumentException>(() => ReleaseTags.Pick(AllReleases, oldestRelease: "v5.16-rc1"));

    [Fact]
    public void No_release_tags_means_nothing_to_test() => Assert.Empty(ReleaseTags.Pick(["foo", "v6.2-rc1"]));
}
