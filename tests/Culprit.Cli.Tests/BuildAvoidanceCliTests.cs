using System.Globalization;
using System.Text.Json;
using Culprit.Processes;

namespace Culprit.Cli.Tests;

/// <summary>
/// <c>--paths</c> (only commits touching the paths are tested, as <c>git bisect start … -- PATHS</c>)
/// and <c>--build-inputs</c> (commits touching none of a build's inputs are not built) on a real
/// repository with real commands: code in src/, documentation in docs/.
/// </summary>
public sealed class BuildAvoidanceCliTests
{
    // Commits 1..3 and 9 change src/main.c (9 brings the bug); the others only docs/.
    private static bool ChangesCode(int n) => n is >= 1 and <= 3 or 9;

    private const string Test = "if grep -q BUG out/main; then echo 'TITLE: BUG: demo crash'; exit 1; fi";

    private static string Build(string counter) => $"echo built >> '{counter}' && mkdir -p out && cp src/main.c out/main";

    [Fact]
    public async Task Build_inputs_keep_documentation_commits_from_being_built()
    {
        using var temp = new TempDir();
        var hashes = await CreateAsync(temp.Sub("repo"), 20);
        var counter = temp.Sub("builds");
        var json = temp.Sub("result.json");
        var run = await CliHarness.InvokeAsync("bisect", "--strategy", "classic", "--repo", temp.Sub("repo"), "--bad", hashes[^1], "--good", hashes[0],
            "--build", Build(counter), "--test", Test, "--build-inputs", "echo src/main.c; echo \"$PWD/Makefile\"; echo /usr/include/stdio.h",
            "--runs", "1", "--no-verify", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"first bad commit: {hashes[9]} change number 9", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var stats = doc.RootElement.GetProperty("stats");
        var builds = File.ReadAllLines(counter).Length;
        var tested = doc.RootElement.GetProperty("tested").GetArrayLength();
        Assert.Equal(builds, stats.GetProperty("builds").GetInt32());
        // The documentation commits are taken out of the candidates once the first build's inputs are known (before
        // anything is chosen), or avoided when chosen: either way none of them is built.
        Assert.True(stats.GetProperty("candidates_dropped").GetInt32() + stats.GetProperty("builds_avoided").GetInt32() > 0, run.Output);
        Assert.Equal(tested, builds + stats.GetProperty("builds_avoided").GetInt32());
        Assert.Matches(@"commit [0-9a-f]{40} cannot change the build \(touches only docs/notes-\d+\.md\): same as (its parent|[0-9a-f]{40})", run.Output);
    }

    [Fact]
    public async Task Paths_limit_the_range_to_commits_touching_them()
    {
        using var temp = new TempDir();
        var hashes = await CreateAsync(temp.Sub("repo"), 20);
        var json = temp.Sub("result.json");
        var run = await CliHarness.InvokeAsync("bisect", "--strategy", "classic", "--repo", temp.Sub("repo"), "--bad", hashes[^1], "--good", hashes[0],
            "--build", Build(temp.Sub("builds")), "--test", Test, "--paths", "src", "Makefile",
            "--runs", "1", "--no-verify", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"first bad commit: {hashes[9]} change number 9", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var bisected = doc.RootElement.GetProperty("tested").EnumerateArray()
            .Where(t => t.GetProperty("phase").GetString() == "bisect").Select(t => Array.IndexOf(hashes, t.GetProperty("commit").GetString())).ToList();
        Assert.NotEmpty(bisected);
        Assert.All(bisected, n => Assert.True(ChangesCode(n), $"commit {n} touches no path of --paths"));
        // 5 candidates (1, 2, 3, 9 and the bad commit) instead of 19: at most 3 tests.
        Assert.InRange(bisected.Count, 1, 3);
    }

    [Fact]
    public async Task When_every_commit_touching_the_paths_is_good_the_bad_commit_is_the_culprit()
    {
        using var temp = new TempDir();
        var hashes = await CreateAsync(temp.Sub("repo"), 12);
        var run = await CliHarness.InvokeAsync("bisect", "--strategy", "classic", "--repo", temp.Sub("repo"), "--bad", hashes[^1], "--good", hashes[0],
            "--build", Build(temp.Sub("builds")), "--test", "test \"$(git log -1 --format=%s)\" != 'change number 11' || { echo 'TITLE: BUG: tip'; exit 1; }",
            "--paths", "src", "--runs", "1", "--no-verify", "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"first bad commit: {hashes[11]} change number 11", run.Output);
    }

    [Theory]
    [InlineData("--paths", "")]
    [InlineData("--build-inputs", " ")]
    public async Task A_bad_value_is_a_one_line_error(string option, string value)
    {
        using var temp = new TempDir();
        var run = await CliHarness.InvokeAsync("bisect", "--repo", temp.Path, "--bad", "main", "--good", "main~1", "--build", "true", "--test", "true",
            option, value, "--store", temp.Sub("s.db"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(option, run.Error);
        Assert.False(File.Exists(temp.Sub("s.db")));
    }

    [Fact]
    public async Task Build_inputs_with_no_build_avoidance_is_a_one_line_error()
    {
        using var temp = new TempDir();
        var run = await CliHarness.InvokeAsync("bisect", "--repo", temp.Path, "--bad", "main", "--good", "main~1", "--build", "true", "--test", "true",
            "--build-inputs", "echo src/main.c", "--no-build-avoidance", "--store", temp.Sub("s.db"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--no-build-avoidance", run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.False(File.Exists(temp.Sub("s.db")));
    }

    /// <summary>A repository whose commit n writes n into src/main.c (code commits; "BUG" from 9 on) or into docs/notes-n.md.</summary>
    private static async Task<string[]> CreateAsync(string path, int count)
    {
        Directory.CreateDirectory(Path.Combine(path, "src"));
        Directory.CreateDirectory(Path.Combine(path, "docs"));
        await Git(path, "init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(path, "Makefile"), "all:\n");
        var hashes = new string[count];
        for (var i = 0; i < count; i++)
        {
            if (i == 0 || ChangesCode(i))
            {
                await File.WriteAllTextAsync(Path.Combine(path, "src", "main.c"), $"int main(void) {{ return {i}; }} /* {(i >= 9 ? "BUG" : "ok")} */\n");
            }
            else
            {
                await File.WriteAllTextAsync(Path.Combine(path, "docs", "notes.md"), $"{i}\n");
                File.Move(Path.Combine(path, "docs", "notes.md"), Path.Combine(path, "docs", $"notes-{i}.md"), overwrite: true);
            }
            await Git(path, "add", "-A");
            hashes[i] = await TestGit.CommitAsync(path, $"change number {i}", TestGit.Identity(i));
        }
        return hashes;
    }

    private static Task<ProcessResult> Git(string path, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", path, .. args]));
}
