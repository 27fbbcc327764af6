using System.Text.Json;

namespace Culprit.Cli.Tests;

/// <summary>
/// <c>--first-parent</c> from the command line, on a real repository: a branch that broke its own
/// build for a while and brought the crash in is merged into the mainline. Along first parents the
/// merge is the culprit (as <c>git bisect start --first-parent</c> names it), no commit of the branch is
/// tested, and the merge's revert (<c>-m 1</c>) verifies it; the whole history names the branch's commit.
/// </summary>
public sealed class FirstParentTests
{
    private const string Build = "sh build.sh";
    private const string Test = "grep -q ok state";

    [Fact]
    public async Task Along_first_parents_the_merge_that_brought_the_crash_in_is_the_culprit_and_no_branch_commit_is_tested()
    {
        using var temp = new TempDir();
        var repo = await BranchRepository.CreateAsync(temp.Sub("repo"));
        var json = temp.Sub("result.json");

        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Base,
            "--build", Build, "--test", Test, "--runs", "2", "--first-parent", "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains($"# git bisect start --first-parent {repo.Tip} {repo.Base}", run.Output);
        Assert.Contains($"first bad commit: {repo.Merge} Merge branch 'side'", run.Output);
        Assert.Contains("culprit verified: its parent does not crash; reverting it on top of the bad commit removes the crash", run.Output);
        Assert.All(repo.Branch, c => Assert.DoesNotContain($"testing commit {c}", run.Output));
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(repo.Merge, result.RootElement.GetProperty("culprit").GetProperty("commit").GetString());

        // The same as git's own bisection along first parents.
        await TestGit.RunAsync(repo.Path, "bisect", "start", "--first-parent", repo.Tip, repo.Base);
        var git = await TestGit.RunAsync(repo.Path, "bisect", "run", "sh", "-c", $"{Build} || exit 125; {Test}");
        await TestGit.RunAsync(repo.Path, "bisect", "reset");
        Assert.Contains($"{repo.Merge} is the first bad commit", git.StandardOutput);
    }

    [Fact]
    public async Task Without_first_parent_the_branch_commit_is_the_culprit()
    {
        using var temp = new TempDir();
        var repo = await BranchRepository.CreateAsync(temp.Sub("repo"));

        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Base,
            "--build", Build, "--test", Test, "--runs", "2", "--no-verify", "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains($"first bad commit: {repo.Bug} side: the bug", run.Output);
    }

    /// <summary>
    /// main: base, m1..m3, (side: break build, fix build, the bug, more), m4, m5, the merge, m6..m8.
    /// <c>state</c> says <c>crash</c> from the bug on; <c>build.sh</c> fails where the branch broke it.
    /// </summary>
    private sealed record BranchRepository(string Path, string Base, string Tip, string Merge, string Bug, IReadOnlyList<string> Branch)
    {
        public static async Task<BranchRepository> CreateAsync(string path)
        {
            Directory.CreateDirectory(path);
            await TestGit.RunAsync(path, "init", "-q", "-b", "main");
            var hour = 0;
            async Task<string> CommitAsync(string subject, params (string File, string Content)[] files)
            {
                foreach (var (file, content) in files)
                {
                    await File.WriteAllTextAsync(System.IO.Path.Combine(path, file), content);
                    await TestGit.RunAsync(path, "add", file);
                }
                return await TestGit.CommitAsync(path, subject, TestGit.Identity(hour++));
            }
            var baseCommit = await CommitAsync("base", ("state", "ok\n"), ("build.sh", "exit 0\n"), ("main.txt", "0\n"));
            for (var i = 1; i <= 3; i++)
            {
                await CommitAsync($"main {i}", ("main.txt", $"{i}\n"));
            }
            await TestGit.RunAsync(path, "checkout", "-q", "-b", "side");
            var branch = new List<string>
            {
                await CommitAsync("side: break build", ("build.sh", "exit 1\n")),
                await CommitAsync("side: fix build", ("build.sh", "exit 0\n")),
            };
            var bug = await CommitAsync("side: the bug", ("state", "crash\n"));
            branch.Add(bug);
            branch.Add(await CommitAsync("side: more", ("side.txt", "x\n")));
            await TestGit.RunAsync(path, "checkout", "-q", "main");
            for (var i = 4; i <= 5; i++)
            {
                await CommitAsync($"main {i}", ("main.txt", $"{i}\n"));
            }
            await TestGit.RunAsync(path, TestGit.Identity(hour++), "merge", "-q", "--no-ff", "side", "-m", "Merge branch 'side'");
            var merge = await TestGit.HeadAsync(path);
            var tip = merge;
            for (var i = 6; i <= 8; i++)
            {
                tip = await CommitAsync($"main {i}", ("main.txt", $"{i}\n"));
            }
            return new BranchRepository(path, baseCommit, tip, merge, bug, branch);
        }
    }
}
