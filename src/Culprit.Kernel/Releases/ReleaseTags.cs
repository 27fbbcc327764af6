using System.Text.RegularExpressions;

namespace Culprit.Kernel.Releases;

/// <summary>
/// Picks the release tags to test when the user gives no good commit, the way syzbot does. Number
/// the releases older than the bad commit from the newest (0, 1, 2, ...): positions 0-2 are all
/// tested, then the even positions up to 10, then the positions divisible by 3, and always the last
/// (oldest allowed) one: recent releases one by one, older ones sparser, since old releases are
/// slower to build and less likely to be where the bug came in.
/// </summary>
public static partial class ReleaseTags
{
    /// <summary>Parses a release tag <c>vX.Y</c>; release candidates and other tags are not releases.</summary>
    public static bool TryParse(string tag, out KernelVersion version)
    {
        var m = ReleaseTag().Match(tag);
        if (m.Success)
        {
            return KernelVersion.TryParse($"{m.Groups[1].Value}.{m.Groups[2].Value}", out version);
        }
        version = default;
        return false;
    }

    /// <summary>
    /// From tags that are ancestors of the bad commit (any order, any tags), the releases to test,
    /// newest first. With <paramref name="oldestRelease"/> (a <c>vX.Y</c> tag), nothing older is
    /// picked and it is the last one tested when it is among the releases.
    /// </summary>
    public static IReadOnlyList<string> Pick(IEnumerable<string> tags, string? oldestRelease = null)
    {
        KernelVersion? oldest = null;
        if (oldestRelease is not null)
        {
            oldest = TryParse(oldestRelease, out var v)
                ? v
                : throw new ArgumentException($"--oldest-release {oldestRelease} is not a release tag like v5.10", nameof(oldestRelease));
        }
        var releases = tags
            .Select(t => (Tag: t, Ok: TryParse(t, out var v), Version: v))
            .Where(r => r.Ok && (oldest is not { } o || r.Version >= o))
            .DistinctBy(r => r.Version)
            .OrderByDescending(r => r.Version)
            .Select(r => r.Tag)
            .ToList();

        var picked = new List<string>();
        for (var i = 0; i < releases.Count; i++)
        {
            var step = i < 3 ? 1 : i < 11 ? 2 : 3;
            if (i % step == 0 || i == releases.Count - 1)
            {
                picked.Add(releases[i]);
            }
        }
        return picked;
    }

    [GeneratedRegex(@"^v(\d+)\.(\d+)$")]
    private static partial Regex ReleaseTag();
}
