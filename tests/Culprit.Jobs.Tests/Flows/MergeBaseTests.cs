using Culprit.Core.Domain;
using Culprit.Processes;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>
/// A good commit that is not an ancestor of the bad one (a stable release against mainline): as git
/// bisect does, the job tests their merge base first; good, it is the range's good end, bad, the
/// crash was fixed between it and the good commit.
/// </summary>
public sealed class MergeBaseTests
{
    private static RunOutcome BugFrom(int first, int n) => n >= first ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok();

    /// <summary>A commit on a branch off <paramref name="parent"/> (not on the main line): a backport.</summary>
    private static async Task<string> BranchCommitAsync(ScriptedWorld world, int parent)
    {
        var spec = new ProcessSpec("git", ["-C", world.RepoPath, "commit-tree", world.Hashes[parent] + "^{tree}", "-p", world.Hashes[parent], "-m", "a backport"])
        {
            Environment = new Dictionary<string, string?>
            {
                ["GIT_AUTHOR_NAME"] = "Stable", ["GIT_AUTHOR_EMAIL"] = "stable@example.com",
                ["GIT_COMMITTER_NAME"] = "Stable", ["GIT_COMMITTER_EMAIL"] = "stable@example.com",
            },
        };
        return (await ProcessRunner.RunCheckedAsync(spec)).StandardOutput.Trim();
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task A_good_merge_base_is_the_ranges_good_end(string strategy)
    {
        using var world = await ScriptedWorld.CreateAsync(30, (n, _) => BugFrom(15, n));
        var stable = await BranchCommitAsync(world, 3);
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[29], Good = stable, Strategy = strategy, Runs = 3, Verify = false });

        Assert.Equal(world.Hashes[15], result.Culprit?.Commit);
        Assert.Contains($"good commit {stable} is not an ancestor of {world.Hashes[29]}: a merge base must be tested", log);
        Assert.Contains($"# git bisect start {world.Hashes[29]} {world.Hashes[3]}", log);
        Assert.Contains(result.Tested, t => t.Phase == "merge-base" && t.Commit == world.Hashes[3]);
        Assert.DoesNotContain(-1, world.BuildsDone); // the branch commit itself is never built
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task A_bad_merge_base_means_the_crash_was_fixed_on_the_good_commits_branch(string strategy)
    {
        using var world = await ScriptedWorld.CreateAsync(30, (n, _) => BugFrom(2, n));
        var stable = await BranchCommitAsync(world, 3);
        var id = await world.CreateAsync(new JobSpec { Repo = "", Bad = world.Hashes[29], Good = stable, Strategy = strategy, Runs = 3, Verify = false });
        var (result, log) = await world.RunAsync(id);

        Assert.Equal("no-good-commit", result.Result);
        var expected = $"the merge base {world.Hashes[3]} is bad: the crash was fixed between it and the good commit {stable}";
        Assert.Contains(expected, log);
        Assert.DoesNotContain(log, l => l.StartsWith("# git bisect start", StringComparison.Ordinal));
        // A resume says the same from the stored outcomes.
        var builds = world.BuildsDone.Count;
        var (again, _) = await world.RunAsync(id);
        Assert.Equal("no-good-commit", again.Result);
        Assert.Equal(builds, world.BuildsDone.Count);
    }
}
