using System.Text.Json;
using Culprit.Cli.Demo;
using Culprit.Core.Domain;
using Culprit.Core.Testing;
using Culprit.Jobs;
using Culprit.Service.Nodes;
using Culprit.Service.Submissions;

namespace Culprit.Service.Tests;

/// <summary>
/// A node drops what it keeps of a job once the job has ended: its testers are released and the
/// workers' directories removed when the job's grain says so, and, at start, those of jobs that
/// ended (or are gone) while the node was down.
/// </summary>
public sealed class WorkerDirsTests
{
    [Fact]
    public async Task A_job_that_ended_loses_its_testers_and_worker_directories_on_the_node()
    {
        using var temp = new TempDir("culprit-workerdirs");
        var (stores, jobs) = await StoredJobsAsync(temp, 2);
        var (ended, running) = (jobs[0], jobs[1]);
        var disposed = new List<string>();
        var work = temp.Sub("node");
        await using var testers = new NodeTesters(Options(work, disposed), stores, new RepositoryCache(temp.Sub("repos")));
        await testers.ForAsync(ended, 0, CancellationToken.None);
        await testers.ForAsync(ended, 1, CancellationToken.None);
        await testers.ForAsync(running, 0, CancellationToken.None);
        // A directory of the ended job that no tester here holds: its grain was on a node that died.
        Directory.CreateDirectory(WorkerDir(work, ended, 2));

        await testers.ForgetAsync(ended);

        Assert.Equal([$"{ended}-w0", $"{ended}-w1"], disposed.Order());
        Assert.Equal([$"{running}-w0"], Directory.GetDirectories(Path.Combine(work, "work", "workers")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_step_that_comes_after_its_job_ended_makes_no_tester_or_directory_on_the_node()
    {
        using var temp = new TempDir("culprit-workerdirs");
        var (stores, jobs) = await StoredJobsAsync(temp, 1);
        var ended = jobs[0];
        using (var store = stores.Open())
        {
            store.SetState(ended, JobStates.Finished, "{}", DateTimeOffset.UnixEpoch);
        }
        var work = temp.Sub("node");
        await using var testers = new NodeTesters(Options(work, []), stores, new RepositoryCache(temp.Sub("repos")));

        // A step its job's grain sent before its node died, reaching this node once the job, run again elsewhere, has ended.
        var late = await Assert.ThrowsAsync<InvalidOperationException>(() => testers.StepAsync(ended, 0, (_, _) => Task.FromResult(0), CancellationToken.None));

        Assert.Contains($"job {ended} has ended (finished)", late.Message);
        Assert.False(Directory.Exists(WorkerDir(work, ended, 0)));
    }

    [Fact]
    public async Task A_step_going_on_when_its_job_ends_is_cancelled_and_what_it_writes_afterwards_is_removed()
    {
        using var temp = new TempDir("culprit-workerdirs");
        var (stores, jobs) = await StoredJobsAsync(temp, 2);
        var (job, other) = (jobs[0], jobs[1]);
        var work = temp.Sub("node");
        await using var testers = new NodeTesters(Options(work, []), stores, new RepositoryCache(temp.Sub("repos")));
        var started = new TaskCompletionSource();
        var forgotten = new TaskCompletionSource();
        var otherStep = new TaskCompletionSource();
        // Like a build killed when its job ends: it still writes its output (after the job's directories went) before it stops.
        var step = testers.StepAsync(job, 1, async (_, ct) =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                await forgotten.Task;
                Directory.CreateDirectory(Path.Combine(WorkerDir(work, job, 1), "build"));
            }
            return 0;
        }, CancellationToken.None);
        var stepOfAnother = testers.StepAsync(other, 0, (_, _) => otherStep.Task.ContinueWith(_ => 0), CancellationToken.None);
        await started.Task;

        await testers.ForgetAsync(job);
        forgotten.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => step);
        Assert.False(Directory.Exists(WorkerDir(work, job, 1)));
        Assert.False(stepOfAnother.IsCompleted);
        otherStep.SetResult();
        Assert.Equal(0, await stepOfAnother);
        Assert.True(Directory.Exists(WorkerDir(work, other, 0)));
    }

    [Fact]
    public async Task A_step_whose_caller_dies_is_cancelled_and_its_workers_tree_goes_while_a_step_whose_caller_is_gone_makes_nothing()
    {
        using var temp = new TempDir("culprit-workerdirs");
        var (stores, jobs) = await StoredJobsAsync(temp, 1);
        var job = jobs[0];
        var disposed = new List<string>();
        var work = temp.Sub("node");
        await using var testers = new NodeTesters(Options(work, disposed), stores, new RepositoryCache(temp.Sub("repos")));
        await testers.ForAsync(job, 0, CancellationToken.None);
        using var callerDied = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        // The job's grain sent this step from a node that then died: the job will run again elsewhere.
        var orphan = testers.StepAsync(job, 1, async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }, CancellationToken.None, callerDied.Token);
        await started.Task;

        await callerDied.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => orphan);
        Assert.Equal([$"{job}-w1"], disposed);
        Assert.False(Directory.Exists(WorkerDir(work, job, 1)));
        // The job's other worker keeps its tree here; a step still arriving from the dead caller makes nothing.
        Assert.True(Directory.Exists(WorkerDir(work, job, 0)));
        var late = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => testers.StepAsync(job, 1, (_, _) => Task.FromResult(0), CancellationToken.None, callerDied.Token));
        Assert.Contains("the node that sent this step is gone", late.Message);
        Assert.False(Directory.Exists(WorkerDir(work, job, 1)));
    }

    [Fact]
    public void A_node_starting_removes_the_worker_directories_of_jobs_no_longer_active()
    {
        using var temp = new TempDir("culprit-workerdirs");
        var stores = new JobStores(temp.Sub("culprit.db"));
        string finished, stopped, running;
        using (var store = stores.Open())
        {
            (finished, stopped, running) = (store.CreateJob("{}", DateTimeOffset.UnixEpoch), store.CreateJob("{}", DateTimeOffset.UnixEpoch), store.CreateJob("{}", DateTimeOffset.UnixEpoch));
            store.SetState(finished, JobStates.Finished, "{}", DateTimeOffset.UnixEpoch);
            store.SetState(stopped, JobStates.Stopped, null, DateTimeOffset.UnixEpoch);
        }
        var work = temp.Sub("node");
        string[] dirs = [WorkerDir(work, finished, 0), WorkerDir(work, stopped, 1), WorkerDir(work, running, 0), WorkerDir(work, "0badf00d", 0), Path.Combine(work, "work", "workers", "notes")];
        foreach (var dir in dirs)
        {
            Directory.CreateDirectory(Path.Combine(dir, "worktree"));
        }

        var testers = new NodeTesters(Options(work, []), stores, new RepositoryCache(temp.Sub("repos")));
        using (var store = stores.Open())
        {
            testers.RemoveLeftovers(store);
        }

        Assert.Equal([$"{running}-w0", "notes"], Directory.GetDirectories(Path.Combine(work, "work", "workers")).Select(Path.GetFileName).Order());
    }

    private static string WorkerDir(string work, string job, int worker) => Path.Combine(work, "work", "workers", NodeTesters.WorkerDir(job, worker));

    /// <summary>A store with <paramref name="count"/> running jobs on one demo repository.</summary>
    private static async Task<(JobStores Stores, string[] Jobs)> StoredJobsAsync(TempDir temp, int count)
    {
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false);
        var stores = new JobStores(temp.Sub("culprit.db"));
        using var store = stores.Open();
        return (stores, [.. Enumerable.Range(0, count).Select(_ => store.CreateJob(Spec(demo.Path), DateTimeOffset.UnixEpoch))]);
    }

    private static string Spec(string repo) => JsonSerializer.Serialize(new JobSpec { Repo = repo, Bad = "HEAD", Build = "make", Test = "./test.sh" }, JsonDefaults.Options);

    /// <summary>A node whose testers make their directory (as the real ones do) and record their release.</summary>
    private static ServiceOptions Options(string work, List<string> disposed) => new()
    {
        WorkDir = work,
        Testers = (root, _) => (_, _, name, _) =>
        {
            Directory.CreateDirectory(Path.Combine(root, name));
            return Task.FromResult<ICommitTester>(new Released(() =>
            {
                lock (disposed)
                {
                    disposed.Add(name);
                }
            }));
        },
    };

    private sealed class Released(Action onDispose) : ICommitTester
    {
        public int ParallelRuns => 1;

        public Task<string?> PrepareAsync(string commit, CancellationToken ct) => throw new NotSupportedException();

        public Task<BuildResult> BuildAsync(string commit, CancellationToken ct) => throw new NotSupportedException();

        public Task<RunOutcome> RunAsync(BuildResult build, int runIndex, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask DisposeAsync()
        {
            onDispose();
            return ValueTask.CompletedTask;
        }
    }
}
