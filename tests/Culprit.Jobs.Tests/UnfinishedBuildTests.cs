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
        await using var tester = await TesterAsync(repo, worktree, Build(flag), timedOut ? TimeSpan.FromSeconds(3) : TimeSpan.FromMinutes(5));
        var output = Path.Combine(worktree, "out");

        File.WriteAllText(flag, "");
        if (timedOut)
        {
            Assert.False((await BuildAsync(tester)).Ok);
        }
        else
        {
            await tester.PrepareAsync("HEAD", CancellationToken.None);
            using var cancel = new CancellationTokenSource();
            var stopped = tester.BuildAsync("HEAD", cancel.Token);
            // Stopped (as a user's Ctrl-C stops a job) once the half output is there.
            for (var waited = 0; !(File.Exists(output) && File.ReadAllText(output) == "half\n"); waited += 50)
            {
                Assert.True(waited < 30_000, "the build never wrote its half output");
                await Task.Delay(50);
            }
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped);
        }
        Assert.Equal("half\n", File.ReadAllText(output));
        File.Delete(flag);

        var build = await BuildAsync(tester);

        Assert.True(build.Ok);
        Assert.Equal(BuildResult.AfterUnfinishedBuild, build.Note);
        Assert.Equal("v1\n", File.ReadAllText(output));
    }

    [Fact]
    public async Task A_build_that_ended_leaves_its_outputs_to_the_next_one()
    {
        using var temp = new TempDir("culprit-unfinished");
        var repo = await RepositoryAsync(temp);
        var worktree = temp.Sub("worktree");
        // This build fails after writing its output: it ended, so what it wrote is whole.
        await using var tester = await TesterAsync(repo, worktree, "echo built >> out; exit 2", TimeSpan.FromMinutes(5));
        Assert.False((await BuildAsync(tester)).Ok);

        var build = await BuildAsync(tester);

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
        await using (var first = await TesterAsync(repo, worktree, Build(flag), TimeSpan.FromSeconds(1)))
        {
            await BuildAsync(first);
        }
        File.Delete(flag);

        // A resumed job: a new tester on the worktree the stopped one left.
        await using var tester = await TesterAsync(repo, worktree, Build(flag), TimeSpan.FromMinutes(5));
        var lines = new List<string>();
        var records = new MemoryJobRecords();
        var ledger = new OutcomeLedger(records);
        var log = new JobLog(records, new LineListener(lines), () => ledger.Position, ledger.Count);
        var runner = new CommitTestRunner(tester, ledger, log, new StatusTracker(new LineListener(lines)));

        var outcome = await runner.TestAsync(await repo.ResolveAsync("HEAD"), 1, "bisect", CancellationToken.None);

        Assert.Equal(RunResult.Ok, outcome.Runs.Single().Result);
        Assert.Contains(BuildResult.AfterUnfinishedBuild, lines);
    }

    private static Task<CommandTester> TesterAsync(GitRepository repo, string worktree, string build, TimeSpan buildTimeout) =>
        CommandTester.CreateAsync(repo, worktree, "HEAD", build, "true", TimeSpan.FromMinutes(5), buildTimeout, _ => null, CancellationToken.None);

    /// <summary>A test's checkout and build of HEAD, as the job makes them.</summary>
    private static async Task<BuildResult> BuildAsync(CommandTester tester, CancellationToken ct = default)
    {
        await tester.PrepareAsync("HEAD", ct);
        return await tester.BuildAsync("HEAD", ct);
    }

    private sealed class LineListener(List<string> lines) : IJobListener
    {
        public void OnLine(string line) => lines.Add(line);

        public void OnStatus(JobStatus status)
        {
        }
    }

    private static async Task<GitRepository> RepositoryAsync(TempDir temp) =>
        await GitRepository.OpenAsync(await OneCommitRepository.CreateAsync(temp.Sub("repo"),
            new Dictionary<string, string> { ["src"] = "v1\n", [".gitignore"] = "out\n" }));
}
