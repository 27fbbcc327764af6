using System.Globalization;
using System.Text.Json;
using Culprit.Processes;

namespace Culprit.Cli.Tests;

/// <summary>A culprit that is a merge commit: verified by reverting it against its first parent, like <c>git revert -m 1</c>.</summary>
public sealed class MergeCulpritTests
{
    /// <summary>Crashes only where both halves of the bug are present: each branch brings one, so the merge brings the bug.</summary>
    private const string Test = "if [ \"$(cat a 2>/dev/null)\" = 1 ] && [ \"$(cat b 2>/dev/null)\" = 1 ]; then echo 'TITLE: BUG: both halves'; exit 1; fi";

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task A_merge_culprit_is_reverted_with_its_first_parent_as_mainline(string strategy)
    {
        using var temp = new TempDir();
        var path = temp.Sub("repo");
        Directory.CreateDirectory(path);
        var clock = new int[1];
        await Git(path, "init", "-q", "-b", "main");
        await CommitAsync(path, "base", ("x", "0"), clock);
        var good = await HeadAsync(path);
        await Git(path, "checkout", "-q", "-b", "side");
        await CommitAsync(path, "side: first half", ("a", "1"), clock);
        await CommitAsync(path, "side: more", ("c", "1"), clock);
        await Git(path, "checkout", "-q", "main");
        await CommitAsync(path, "main: second half", ("b", "1"), clock);
        await CommitAsync(path, "main: more", ("d", "1"), clock);
        await Git(path, Identity(clock), "merge", "-q", "--no-ff", "-m", "Merge branch side", "side");
        var merge = await HeadAsync(path);
        await CommitAsync(path, "main: after", ("e", "1"), clock);

        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--strategy", strategy, "--repo", path, "--bad", "main", "--good", good,
            "--build", "true", "--test", Test, "--runs", "2", "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        await FlakyResultAssert.VerifiedCulpritAsync(json, merge);
    }

    [Fact]
    public async Task A_merge_that_fixes_the_crash_is_cherry_picked_with_its_first_parent_as_mainline()
    {
        // The merge resolves the branches with a change of its own (a = 0) that neither parent has, so
        // the merge is the first commit without the crash, and cherry-picking it (-m 1) onto the
        // crashing commit carries that change with it.
        using var temp = new TempDir();
        var path = temp.Sub("repo");
        Directory.CreateDirectory(path);
        var clock = new int[1];
        await Git(path, "init", "-q", "-b", "main");
        await CommitAsync(path, "base", ("a", "1"), clock);
        var crashing = await HeadAsync(path);
        await Git(path, "checkout", "-q", "-b", "side");
        await CommitAsync(path, "side: one", ("c", "1"), clock);
        await CommitAsync(path, "side: two", ("c", "2"), clock);
        await Git(path, "checkout", "-q", "main");
        await CommitAsync(path, "main: one", ("d", "1"), clock);
        await Git(path, Identity(clock), "merge", "-q", "--no-ff", "--no-commit", "side");
        await File.WriteAllTextAsync(Path.Combine(path, "a"), "0\n");
        await Git(path, "add", "-A");
        await Git(path, Identity(clock), "commit", "-q", "-m", "Merge branch side, dropping a");
        var merge = await HeadAsync(path);
        await CommitAsync(path, "main: after", ("e", "1"), clock);

        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--fix", "--strategy", "classic", "--repo", path, "--bad", crashing, "--good", "main",
            "--build", "true", "--test", "if [ \"$(cat a)\" = 1 ]; then echo 'TITLE: BUG: a is set'; exit 1; fi", "--runs", "2",
            "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal(merge, root.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.Equal("passed", root.GetProperty("verification").GetProperty("revert").GetString());
        Assert.Contains("cherry-picking it onto the crashing commit removes the crash", run.Output);
    }

    private static async Task CommitAsync(string path, string subject, (string File, string Content) change, int[] clock)
    {
        await File.WriteAllTextAsync(Path.Combine(path, change.File), change.Content + "\n");
        await Git(path, "add", "-A");
        await Git(path, Identity(clock), "commit", "-q", "-m", subject);
    }

    private static Dictionary<string, string?> Identity(int[] clock) => TestGit.Identity(clock[0]++);

    private static Task<ProcessResult> Git(string path, params string[] args) => TestGit.RunAsync(path, args);

    private static Task<ProcessResult> Git(string path, Dictionary<string, string?>? env, params string[] args) => TestGit.RunAsync(path, env, args);

    private static Task<string> HeadAsync(string path) => TestGit.HeadAsync(path);
}
