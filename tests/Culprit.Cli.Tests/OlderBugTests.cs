using System.Text.Json;

namespace Culprit.Cli.Tests;

/// <summary>
/// A commit that only makes a bug show more often, in a real repository: commit 6 adds the bug to file a,
/// which then shows in exactly 2 of every 10 consecutive runs of a commit (which 2 is set by a hash of the
/// commit and a salt; <c>CULPRIT_RUN</c> numbers a commit's runs in the job); commit 28 adds a hot path to
/// file b, and from there every run crashes. The bad commit's ten crashes in ten runs make the commits
/// between 6 and 28 look clean in their few runs, and the bisection names 28; its revert keeps the crash,
/// its parent crashes when tested again, and at the one repro chance of every commit with the bug its
/// few crashes read as strays, so 28 is named again. Bisecting below its parent, with the parent as
/// the crashing end, finds commit 6, whose revert removes the crash.
/// </summary>
public sealed class OlderBugTests
{
    private const int Commits = 40;
    private const int BugFrom = 6;
    private const int HotFrom = 28;

    /// <summary>The salt that sends this history's job down that path (found by trying; the path is fixed by the hashes).</summary>
    private const int Salt = 4;

    private static string Test(int salt) =>
        "grep -q bug a || exit 0; " +
        $"k=$(printf '%s {salt}' \"$(git rev-parse HEAD)\" | cksum | cut -d' ' -f1); " +
        "if grep -q hot b 2>/dev/null || [ $(((CULPRIT_RUN + k) % 10)) -lt 2 ]; then echo 'TITLE: BUG: the bug'; exit 1; fi";

    [Fact]
    public async Task A_commit_that_made_the_bug_show_more_often_gives_way_to_the_one_that_brought_it_in()
    {
        using var temp = new TempDir();
        var hashes = await CreateAsync(temp.Sub("repo"));
        var json = temp.Sub("r.json");

        var run = await CliHarness.InvokeAsync("bisect", "--repo", temp.Sub("repo"), "--bad", "main", "--good", hashes[0],
            "--build", "true", "--test", Test(Salt), "--workers", "1", "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains($"the culprit's parent {hashes[HotFrom - 1]} crashes with the bug too (", run.Output);
        Assert.Contains($"the bug came in with {hashes[BugFrom]}, before {hashes[HotFrom]}", run.Output);
        await FlakyResultAssert.VerifiedCulpritAsync(json, hashes[BugFrom]);
    }

    /// <summary>The history, oldest first (commit 0 is the good end, the last one the bad end, on main).</summary>
    private static Task<List<string>> CreateAsync(string path) => TestGit.LinearHistoryAsync(path, Commits, i => i switch
        {
            0 => ("a", "code"),
            BugFrom => ("a", "bug"),
            HotFrom => ("b", "hot"),
            _ => ($"f{i}", "filler"),
        });
}
