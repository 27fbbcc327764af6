using System.Text.RegularExpressions;
using Culprit.Core.Domain;
using Culprit.Core.Strategies;
using Culprit.Processes;

namespace Culprit.Git.Tests;

/// <summary>
/// A bad commit that touches none of <c>--paths</c>: git bisect lists it but does not count it
/// (TREESAME) and never tests it, so its first step's count and commit are those of the commits that
/// touch the paths alone; the classic strategy's are the same, and the range cache keeps the fact
/// (with each commit's own parents, which decide git's later steps).
/// </summary>
public sealed partial class PathLimitedTipTests
{
    // 40 commits on a root: each writes docs/dN, every third also src/a.c, the 25th adds src/bug; the tip touches docs only.
    private const string Script = """
        set -e
        git init -q .
        git config user.email t@example.org
        git config user.name t
        git commit -q --allow-empty -m root
        for i in $(seq 1 40); do
          mkdir -p docs src
          echo "v$i" > docs/d$i
          if [ $((i % 3)) -eq 0 ]; then echo "int x$i;" >> src/a.c; fi
          if [ $i -eq 25 ]; then echo BUG > src/bug; fi
          git add -A
          git commit -q -m "c$i"
        done
        """;

    [Theory]
    // 14 commits touch src: git says 6 revisions left (Culprit said 7, counting the bad commit).
    [InlineData("src")]
    // One commit touches docs/d2: git's own "-1 revisions left (roughly 0 steps)".
    [InlineData("docs/d2")]
    public async Task A_bad_commit_touching_none_of_the_paths_is_not_counted_and_the_first_step_is_gits(string path)
    {
        using var temp = new TempDir("culprit-paths-tip");
        var (dir, bad, good) = await LineAsync(temp);
        var gitSays = (await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", dir, "bisect", "start", bad, good, "--", path))).StandardOutput;
        var gitStep = FirstStep().Match(gitSays);
        Assert.True(gitStep.Success, gitSays);

        var git = await GitRepository.OpenAsync(dir);
        var graph = await git.RangeAsync(bad, [good], new RangeFilter([path]));
        var strategy = new ClassicStrategy(graph, AnyCrashPolicy.Instance, runs: 1);
        strategy.Record(new CommitOutcome(bad, true, [RunOutcome.Crash("bug")]));
        var step = Assert.IsType<TestCommit>(strategy.Next());

        Assert.True(graph.TipOutsidePaths);
        Assert.Equal((int.Parse(gitStep.Groups["left"].Value), int.Parse(gitStep.Groups["steps"].Value), gitStep.Groups["commit"].Value),
            (step.RevisionsLeft, step.Steps, step.Commit));

        // Kept by the range cache: a resumed job decides the same.
        using var file = new MemoryStream();
        Assert.True(CommitGraphFile.Write(graph, "key", file));
        file.Position = 0;
        var read = CommitGraphFile.Read(file, "key")!;
        Assert.True(read.TipOutsidePaths);
        Assert.Equal(Enumerable.Range(0, graph.Count).Select(graph.PathParents), Enumerable.Range(0, read.Count).Select(read.PathParents));
        var whole = await git.RangeAsync(bad, [good]);
        Assert.False(whole.TipOutsidePaths || whole.KnowsPathParents);
    }

    [Fact]
    public async Task On_a_line_whose_commits_mostly_touch_none_of_the_paths_every_step_is_gits()
    {
        // After c21 is good, c24's parent c23 touches no src: git weighs c24 in its strand pass and stops
        // at it (about halfway), where a root of the rewritten listing would be weighed first and passed over.
        using var temp = new TempDir("culprit-paths-line");
        var (dir, bad, good) = await LineAsync(temp);
        var culprit = await RevisionAsync(dir, "HEAD~15");
        var withBug = (await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", dir, "rev-list", bad, "--not", culprit + "^"))).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

        var git = await ClassicStrategyMatchesGitBisectTests.GitBisectRunAsync(dir, bad, [good], "test ! -e src/bug", ["src"]);
        var (ours, tested) = await ClassicStrategyMatchesGitBisectTests.ClassicAsync(dir, bad, [good],
            hash => new CommitOutcome(hash, true, [withBug.Contains(hash) ? RunOutcome.Crash("bug") : RunOutcome.Ok()]), ["src"]);

        Assert.Equal(culprit, git.Found);
        Assert.Equal(git.Found, ours.Culprit);
        Assert.Equal(git.Tested, tested);
    }

    /// <summary>The 40 commits of <see cref="Script"/> in a repository under <paramref name="temp"/>: its path, the tip and the root.</summary>
    private static async Task<(string Dir, string Bad, string Good)> LineAsync(TempDir temp)
    {
        var dir = temp.Sub("r");
        Directory.CreateDirectory(dir);
        await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("sh", "-c", Script) with { WorkingDirectory = dir });
        return (dir, await RevisionAsync(dir, "HEAD"), await RevisionAsync(dir, "HEAD~40"));
    }

    private static async Task<string> RevisionAsync(string dir, string revision) =>
        (await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", dir, "rev-parse", revision))).StandardOutput.Trim();

    [GeneratedRegex(@"Bisecting: (?<left>-?\d+) revisions? left to test after this \(roughly (?<steps>\d+) steps?\)\n\[(?<commit>[0-9a-f]{40})\]")]
    private static partial Regex FirstStep();
}
