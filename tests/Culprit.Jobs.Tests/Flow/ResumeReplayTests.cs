using System.Text.Json;
using System.Text.RegularExpressions;
using Culprit.Core.Domain;
using Culprit.Core.Testing;
using Culprit.Git;
using Culprit.Store;

namespace Culprit.Jobs.Tests.Flow;

/// <summary>
/// A job stopped after any number of tests and resumed writes the log and the result of the same job
/// never stopped: the stored steps are fast-forwarded into the strategy without their decisions, and
/// the range is read from the job's file when it is there and sound, listed again when it is
/// damaged or gone. Whole job flows on a real git repository, through one scripted tester.
/// </summary>
public sealed partial class ResumeReplayTests : IDisposable
{
    private const int Culprit = 17;
    private static readonly RunOutcome Bug = RunOutcome.Crash("WARNING in sethostname", "WARNING: CPU: 0 PID: 1 at kernel/sys.c:1380", seconds: 1);

    private readonly TempDir _temp = new("culprit-resume-replay");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task A_job_stopped_after_any_number_of_tests_resumes_to_the_log_and_result_of_one_never_stopped(string strategy)
    {
        var repo = await LinearRepository.CreateAsync(_temp.Sub("repo"), 30);
        var (expectedLog, expectedResult, tests) = await RunAsync(repo, strategy, "whole", stopAfter: null);
        Assert.Contains($"\"{repo.Hashes[Culprit]}\"", expectedResult);

        for (var stopAfter = 1; stopAfter < tests; stopAfter++)
        {
            var (log, result, _) = await RunAsync(repo, strategy, $"stopped-{stopAfter}", stopAfter);

            Assert.Equal(string.Join('\n', expectedLog), string.Join('\n', log));
            Assert.Equal(expectedResult, result);
        }
    }

    /// <summary>
    /// Runs a job; with <paramref name="stopAfter"/>, stops it once that many tests are done (the
    /// next one cancelled at its build), then resumes it with its range file kept, damaged or removed
    /// in turn. Returns the stored log and result with times and the job id taken out, and how many tests it took.
    /// </summary>
    private async Task<(List<string> Log, string Result, int Tests)> RunAsync(LinearRepository repo, string strategy, string name, int? stopAfter)
    {
        using var store = JobStore.Open(_temp.Sub(name + ".db"));
        var work = _temp.Sub(name + "-work");
        using var stop = new CancellationTokenSource();
        string? id = null;
        var tester = new FlakyTester(repo, () => stopAfter is { } n && id is not null && store.Outcomes(id).Count >= n, stop);
        var runner = new JobRunner(store, (_, _, _, _) => Task.FromResult<ICommitTester>(tester), new TextJobListener(TextWriter.Null), work);
        id = await runner.CreateAsync(new JobSpec
        {
            Repo = repo.Path,
            Bad = repo.Hashes[^1],
            Good = repo.Hashes[0],
            Runs = 2,
            Strategy = strategy,
            // One worker, tests alone: rounds of three resume the same way (RoundResumeTests).
            Workers = 1,
            Verify = true,
            Build = "true",
            Test = "true",
        });
        if (stopAfter is { } n)
        {
            await Assert.ThrowsAsync<JobStoppedException>(() => runner.RunAsync(id, stop.Token));
            Assert.Equal(n, store.Outcomes(id).Count);
            var file = Path.Combine(work, id, RangeCache.FileName);
            // The ends are tested before the range is listed: from then on the job has its file.
            Assert.True(File.Exists(file) || n <= 1, $"no range file after {n} tests");
            if (File.Exists(file))
            {
                switch (n % 3)
                {
                    case 1:
                        var bytes = await File.ReadAllBytesAsync(file);
                        bytes[bytes.Length / 2] ^= 0x40;
                        await File.WriteAllBytesAsync(file, bytes);
                        break;
                    case 2:
                        File.Delete(file);
                        break;
                }
            }
        }
        var result = await runner.RunAsync(id);
        Assert.False(Directory.Exists(Path.Combine(work, id)), "the finished job's range file and work directory are gone");

        // A resumed process has no build in place yet: where the whole job retested its last build, it builds again
        // (a worktree's build is gone with its pass: only kept builds, kernel images, are run again after a resume).
        var log = store.Log(id).Select(l => Durations().Replace(l.Text, "T").Replace(" (built already)", "")
            .Replace(" (built again: its build was not kept)", "")).ToList();
        var json = Seconds().Replace(JsonSerializer.Serialize(result with { Job = "J", Stats = result.Stats with { Builds = 0, BuildsReused = 0, BuildsRepeated = 0 } }), "${key}0");
        return (log, json, store.Outcomes(id).Count);
    }

    /// <summary>Durations measured by the clock (test times): the only part of a log or result that may differ between two equal jobs.</summary>
    [GeneratedRegex(@"(\d+(\.\d+)?(ms|s|m|h))+")]
    private static partial Regex Durations();

    [GeneratedRegex(@"(?<key>""\w*[sS]econds"":)[\d.eE+-]+")]
    private static partial Regex Seconds();

    /// <summary>
    /// Every commit from <see cref="Culprit"/> on shows the bug in two of three runs (by run index),
    /// earlier ones none; once <paramref name="stopNow"/> says so, the next call cancels the job.
    /// </summary>
    private sealed class FlakyTester(LinearRepository repo, Func<bool> stopNow, CancellationTokenSource stop) : ICommitTester
    {
        public int ParallelRuns => 1;

        public Task<string?> PrepareAsync(string commit, CancellationToken cancellationToken)
        {
            StopIfAsked(cancellationToken);
            return Task.FromResult<string?>(null);
        }

        public Task<BuildResult> BuildAsync(string commit, CancellationToken cancellationToken)
        {
            StopIfAsked(cancellationToken);
            return Task.FromResult(new BuildResult(commit, true, null, null, null, 0));
        }

        public Task<RunOutcome> RunAsync(BuildResult build, int runIndex, CancellationToken cancellationToken)
        {
            StopIfAsked(cancellationToken);
            return Task.FromResult(repo.IndexOf(build.Commit) >= Culprit && runIndex % 3 != 2 ? Bug : RunOutcome.Ok(1));
        }

        private void StopIfAsked(CancellationToken cancellationToken)
        {
            if (stopNow())
            {
                stop.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
