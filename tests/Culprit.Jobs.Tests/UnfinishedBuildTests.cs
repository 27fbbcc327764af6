using Culprit.Core.Domain;
using Culprit.Core.Testing;
using Culprit.Git;
using Culprit.Jobs.Testers;
using Culprit.Processes;

namespace Culprit.Jobs.Tests;

/// <summary>
/// A build that never finished (timed out, cancelled, killed with its machine) leaves half-written
/// outputs with fresh times, which make takes for up-to-date ones: the next build in that worktree
/// starts from the sources alone, and the log says so. A build that ended keeps its outputs.
/// </summary>
public sealed class UnfinishedBuildTests
{
    // A make-like build: "out" is rebuilt from "src" only when it is older. With the flag file, it
    // first writes half an output and hangs, as a compiler does when its machine dies.
    private static string Build(string flag) =>
        $"if [ -e '{flag}' ]; then echo half > out; sleep 60; fi; if [ -e out ] && [ out -nt src ]; then exit 0; fi; cp src out";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_build_after_one_that_did_not_finish_starts_from_a_clean_tree(bool timedOut)
    {
        using var temp = new TempDir("culprit-unfinished");
        var repo = await RepositoryAsync(temp);
        var flag = temp.Sub("hang");
        var worktree = temp.Sub("worktree");
        await using var tester = await CommandTester.CreateAsync(repo, worktree, "HEAD", Build(flag), "true",
            TimeSpan.FromMinutes(5), timedOut ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(5), _ => null, CancellationToken.None);
        await tester.PrepareAsync("HEAD", CancellationToken.None);

        File.WriteAllText(flag, "");
        if (timedOut)
        {
            Assert.False((await tester.BuildAsync("HEAD", CancellationToken.None)).Ok);
        }
        else
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tester.BuildAsync("HEAD", cancel.Token));
        }
        Assert.Equal("half\n", File.ReadAllText(Path.Combine(worktree, "out")));
        File.Delete(flag);

        await tester.PrepareAsync("HEAD", CancellationToken.None);
        var build = await tester.BuildAsync("HEAD", CancellationToken.None);

        Assert.True(build.Ok);
        Assert.Equal(BuildResult.AfterUnfinishedBuild, build.Note);
        Assert.Equal("v1\n", File.ReadAllText(Path.Combine(worktree, "out")));
    }

    [Fact]
    public async Task A_build_that_ended_leaves_its_outputs_to_the_next_one()
    {
        using var temp = new TempDir("culprit-unfinished");
        var repo = await RepositoryAsync(temp);
        var worktree = temp.Sub("worktree");
        // This build fails after writing its output: it ended, so what it wrote is whole.
        await using var tester = await CommandTester.CreateAsync(repo, worktree, "HEAD", "echo built >> out; exit 2", "true",
            TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), _ => null, CancellationToken.None);
        await tester.PrepareAsync("HEAD", CancellationToken.None);
        Assert.False((await tester.BuildAsync("HEAD", CancellationToken.None)).Ok);

        await tester.PrepareAsync("HEAD", CancellationToken.None);
        var build = await tester.BuildAsync("HEAD", CancellationToken.None);

        Assert.Null(build.Note);
        Assert.Equal("built\nbuilt\n", File.ReadAllText(Path.Combine(worktree, "out")));
    }

    [Fact]
    public async Task The_job_log_says_when_a_build_starts_from_a_clean_tree()
    {
        using var temp = new TempDir("culprit-unfinished");
        var repo = await RepositoryAsync(temp);
        var flag = temp.Sub("hang");
        File.WriteAllText(flag, "");
        var worktree = temp.Sub("worktree");
        await using (var first = await CommandTester.CreateAsync(repo, worktree, "HEAD", Build(flag), "true",
            TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1), _ => null, CancellationToken.None))
        {
            await first.PrepareAsync("HEAD", CancellationToken.None);
            await first.BuildAsync("HEAD", CancellationToken.None);
        }
        File.Delete(flag);

        // A resumed job: a new tester on the worktree the stopped one left.
        await using var tester = await CommandTester.CreateAsync(repo, worktree, "HEAD", Build(flag), "true",
            TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), _ => null, CancellationToken.None);
        var lines = new List<string>();
        var records = new MemoryJobRecords();
        var ledger = new OutcomeLedger(records);
        var log = new JobLog(records, new LineListener(lines), () => ledger.Position, ledger.Count);
        var runner = new CommitTestRunner(tester, ledger, log, new StatusTracker(new LineListener(lines)));

        var outcome = await runner.TestAsync(await repo.ResolveAsync("HEAD"), 1, "bisect", CancellationToken.None);

        Assert.Equal(RunResult.Ok, outcome.Runs.Single().Result);
        Assert.Contains(BuildResult.AfterUnfinishedBuild, lines);
    }

    private sealed class LineListener(List<string> lines) : IJobListener
    {
        public void OnLine(string line) => lines.Add(line);

        public void OnStatus(JobStatus status)
        {
        }
    }

    private static async Task<GitRepository> RepositoryAsync(TempDir temp)
    {
        var dir = temp.Sub("repo");
        Directory.CreateDirectory(dir);
        await Git(dir, "init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(dir, "src"), "v1\n");
        await File.WriteAllTextAsync(Path.Combine(dir, ".gitignore"), "out\n");
        await Git(dir, "add", "-A");
        await Git(dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
        return await GitRepository.OpenAsync(dir);
    }

    private static Task<ProcessResult> Git(string dir, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", dir, .. args]));
}
