using Culprit.Processes;
using Xunit;

namespace Culprit.Cli.Tests;

/// <summary>
/// The classic strategy's <c>Bisecting: N revision(s) left to test after this (roughly K step(s))</c>
/// lines are git's own, word for word, singular and plural alike: both bisect the same small
/// repositories and their lines are compared.
/// </summary>
public sealed class BisectingLineTests
{
    [Theory]
    [InlineData(3, 1)]
    [InlineData(4, 3)]
    [InlineData(5, 2)]
    [InlineData(6, 5)]
    [InlineData(9, 4)]
    public async Task The_lines_are_the_ones_git_bisect_prints(int commits, int culprit)
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), commits, culprit);
        var good = repo.Hashes[0];

        var run = await CliHarness.InvokeAsync("bisect", "--strategy", "classic", "--repo", repo.Path, "--bad", "main", "--good", good,
            "--build", "true", "--test", ScriptedRepository.Test, "--runs", "1", "--no-verify", "--store", temp.Sub("s.db"));
        Assert.Equal(0, run.ExitCode);

        // git bisects a clone of its own, so the job's repository is left as it was.
        var clone = temp.Sub("clone");
        await Git(temp.Path, "clone", "-q", repo.Path, clone);
        var start = await Git(clone, "bisect", "start", "origin/main", good);
        var bisect = await Git(clone, "bisect", "run", "sh", "-c", ScriptedRepository.Test);
        var gitLines = Bisecting(start + bisect);

        Assert.NotEmpty(gitLines);
        Assert.Equal(gitLines, Bisecting(run.Output));
    }

    private static List<string> Bisecting(string output) =>
        output.Split('\n').Where(l => l.StartsWith("Bisecting: ", StringComparison.Ordinal)).Select(l => l.TrimEnd()).ToList();

    private static async Task<string> Git(string dir, params string[] args)
    {
        var result = await ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", dir, .. args])
        {
            Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C", ["LANGUAGE"] = "C" },
        });
        return result.StandardOutput;
    }
}
