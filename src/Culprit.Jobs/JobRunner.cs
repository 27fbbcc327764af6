using System.Text.Json;
using Culprit.Core.Domain;
using Culprit.Core.Strategies;
using Culprit.Core.Testing;
using Culprit.Git;
using Culprit.Store;

namespace Culprit.Jobs;

/// <summary>Creates the tester a job needs (commands, or kernel builds and VMs) in its own work directory.</summary>
public delegate Task<ICommitTester> TesterFactory(JobSpec spec, GitRepository repo, string jobId, CancellationToken ct);

/// <summary>
/// Runs a job from start to result: reproduce on the bad commit, find a good one (given, or by
/// walking back over releases), bisect with the strategy, then report. Every outcome is stored as
/// soon as it exists, and a resumed job replays them into a fresh strategy.
/// </summary>
public sealed class JobRunner(JobStore store, TesterFactory testers, IJobListener listener, string workRoot, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Why the job's cancellation token fired (a signal's name, e.g. <c>SIGTERM</c>), for the log line of a stopped job.</summary>
    public Func<string?> StopCause { get; init; } = () => null;

    /// <summary>
    /// This pass skips the commits no run could test, whatever the job's <see cref="JobSpec.SkipUntestable"/>
    /// (<c>culprit resume --skip-untestable</c>: the machine is sound, the commit the job stopped at is not).
    /// </summary>
    public bool SkipUntestable { get; init; }

    /// <summary>Where this machine finds a job's repository (a service node fetches <see cref="JobSpec.Origin"/> into its own cache); default: the stored path.</summary>
    public Func<JobSpec, CancellationToken, Task<string>> RepositoryPath { get; init; } = (spec, _) => Task.FromResult(spec.Repo);

    /// <summary>Checks the inputs, resolves the revisions and creates the job (nothing is written before the checks pass).</summary>
    public Task<string> CreateAsync(JobSpec spec, CancellationToken ct = default) => CreateAsync(spec, [], ct);

    /// <summary>
    /// The same, storing <paramref name="files"/> with the job (a submitted kernel job's config,
    /// reproducer and compiler table: the nodes it runs on write them into their own directories).
    /// </summary>
    public async Task<string> CreateAsync(JobSpec spec, IReadOnlyList<JobFile> files, CancellationToken ct)
    {
        JobSpecValidator.Validate(spec);
        var repo = await GitRepository.OpenAsync(spec.Repo, ct);
        var bad = await repo.ResolveAsync(spec.Bad, ct);
        await repo.CheckPathspecsAsync(bad, spec.Paths ?? [], ct);
        string? good = null;
        string? mergeBase = null;
        if (spec.Good is not null)
        {
            good = await repo.ResolveAsync(spec.Good, ct);
            var (older, newer, olderName, newerName) = spec.Direction == Direction.Cause
                ? (good, bad, spec.Good, spec.Bad)
                : (bad, good, spec.Bad, spec.Good);
            if (older == newer)
            {
                throw new JobException($"empty range: {olderName} and {newerName} are the same commit");
            }
            // With several good commits, their merge bases are found together (below).
            if (spec.MoreGood is not { Count: > 0 } && !await repo.IsAncestorAsync(older, newer, ct))
            {
                var bases = await repo.MergeBasesAsync(older, newer, ct);
                if (spec.Direction == Direction.Cause && bases is [var only] && only != newer)
                {
                    // As git bisect: the merge base is tested first, and the range is the same.
                    mergeBase = only;
                }
                else
                {
                    var hint = bases.Count switch
                    {
                        0 => "; they share no history",
                        _ when bases.Contains(newer) => spec.Direction == Direction.Cause ? AfterTheBadCommit : "; it is a descendant of the fixed commit",
                        1 => $"; their merge base is {bases[0]}",
                        _ => $"; their merge bases are {string.Join(", ", bases)}: give one that does not crash as the good commit",
                    };
                    throw spec.Direction == Direction.Cause
                        ? NotAnAncestor(spec.Good, spec.Bad, hint)
                        : new JobException($"crashing commit {spec.Bad} is not an ancestor of fixed commit {spec.Good}{hint}");
                }
            }
        }
        var (moreGood, goodMergeBases) = await ResolveMoreGoodAsync(repo, spec, bad, good, ct);
        if (good is not null && spec.Paths is { Count: > 0 } paths)
        {
            // Known before anything is built when the good end is given (else once the release walk finds it).
            var (newer, older, olderName, newerName) = spec.Direction == Direction.Cause
                ? (bad, (IReadOnlyList<string>)[mergeBase ?? good, .. moreGood ?? []], spec.Good!, spec.Bad)
                : (good, [bad], spec.Bad, spec.Good!);
            if (!await repo.AnyCommitTouchesAsync(newer, older, paths, ct))
            {
                throw new JobException(GitRepository.NoCommitTouches(olderName, newerName, paths));
            }
        }
        // The workers are fixed for the job: its rounds depend on them, and a resume replays the rounds.
        var resolved = spec with
        {
            Repo = repo.Path, Bad = bad, Good = good, BadRevision = spec.Bad, GoodRevision = spec.Good, MoreGood = moreGood, MergeBase = mergeBase,
            GoodMergeBases = goodMergeBases,
            Workers = spec.Workers ?? WorkerDefaults.For(spec),
        };
        return store.CreateJob(JsonSerializer.Serialize(resolved, JsonDefaults.Options), _clock.GetUtcNow(), files);
    }

    private const string AfterTheBadCommit = "; it is a descendant of the bad commit: the crash went away between them (--fix finds the commit that fixed it)";

    private static JobException NotAnAncestor(string good, string bad, string hint) => new($"good commit {good} is not an ancestor of bad commit {bad}{hint}");

    /// <summary>
    /// The good commits after the first, resolved, and the merge bases to test first, as git bisect finds
    /// them: those of the bad commit and all the good commits (<c>git merge-base --all</c>) that are not
    /// good commits themselves (none when every good commit is an ancestor of the bad one).
    /// </summary>
    private static async Task<(IReadOnlyList<string>? More, IReadOnlyList<string>? MergeBases)> ResolveMoreGoodAsync(
        GitRepository repo, JobSpec spec, string bad, string? first, CancellationToken ct)
    {
        if (spec.MoreGood is not { Count: > 0 } names || first is null)
        {
            return (null, null);
        }
        var more = new List<string>();
        foreach (var name in names)
        {
            var commit = await repo.ResolveAsync(name, ct);
            if (commit == bad)
            {
                throw new JobException($"empty range: {name} and {spec.Bad} are the same commit");
            }
            more.Add(commit);
        }
        foreach (var (name, commit) in names.Prepend(spec.Good!).Zip(more.Prepend(first)))
        {
            if (await repo.IsAncestorAsync(bad, commit, ct))
            {
                throw NotAnAncestor(name, spec.Bad, AfterTheBadCommit);
            }
        }
        IReadOnlyList<string> goods = [first, .. more];
        var bases = await repo.MergeBasesAsync(bad, goods, ct);
        if (bases.Count == 0)
        {
            throw new JobException($"the good commits share no history with bad commit {spec.Bad}");
        }
        var toTest = bases.Where(b => !goods.Contains(b)).ToList();
        return (more, toTest.Count > 0 ? toTest : null);
    }

    /// <summary>Runs (or resumes) a stored job to its result.</summary>
    public async Task<JobResult> RunAsync(string jobId, CancellationToken ct = default)
    {
        var record = store.GetJob(jobId);
        var spec = StoredJson.Read<JobSpec>(record.SpecJson, jobId, "inputs");
        using var jobLock = JobLock.Acquire(store, jobId);
        var ledger = new OutcomeLedger(store, jobId);
        var log = new JobLog(store, jobId, listener, () => ledger.Position, ledger.Count);
        var status = new StatusTracker(listener);
        // A finished job keeps its result until the new one replaces it: a resume that fails loses nothing.
        store.SetState(jobId, "running", record.ResultJson, _clock.GetUtcNow());
        JobResult result;
        try
        {
            var repo = await GitRepository.OpenAsync(await RepositoryPath(spec, ct), ct);
            var history = new GitJobHistory(repo, Path.Combine(workRoot, jobId), new RangeFilter(spec.Paths, spec.FirstParent), spec.MoreGood ?? []);
            // Listed (or, on a resume, its stored graph mapped) while the testers check their worktrees: at a million
            // commits each takes tens of milliseconds a resume waits for.
            await using var listing = RangeListing.Start(history, spec, ct);
            await using var tester = await testers(spec, repo, jobId, ct);
            await using var others = new WorkerTesters();
            for (var worker = 1; worker < (spec.Workers ?? 1); worker++)
            {
                others.Add(await tester.ForWorkerAsync(worker, ct));
            }
            // One runner per tester (each keeps what its worktree holds); the first also tests everything outside the rounds.
            // Build avoidance is one for the job: any worker's build may spare another worker's commit.
            var avoidance = spec.NoBuildAvoidance ? null
                : new BuildAvoidance(repo, ledger, Path.Combine(workRoot, jobId, "build-inputs"), spec.Kernel is null ? "build" : "kernel");
            var roundLock = new object();
            var speculative = new SpeculativeBuilds(Path.Combine(workRoot, jobId, SpeculativeBuilds.FileName));
            var setupNotes = new SetupNotes();
            var workers = new[] { tester }.Concat(others.Testers).Select(t =>
            {
                var workerLog = new WorkerLog(log, roundLock);
                return new RoundWorker(new CommitTestRunner(t, ledger, workerLog, status, avoidance, speculative, SkipUntestable || spec.SkipUntestable, setupNotes), workerLog);
            }).ToList();
            var sameBuild = avoidance is null ? null : new SameBuildCommits(repo, avoidance, ledger, spec.Kernel is null ? "build" : "kernel");
            var plans = new RoundPlanFile(Path.Combine(workRoot, jobId, RoundPlanFile.FileName));
            var run = new JobExecution(spec, jobId, history, ledger, log, status, workers[0].Tests, workers, speculative, sameBuild: sameBuild, plans: plans, listing: listing);
            result = await run.ExecuteAsync(ct);
        }
        catch (UntestableCommitException)
        {
            // Not a result: the machine could not test a commit. Mended, `culprit resume` goes on from there.
            store.SetState(jobId, "stopped", record.ResultJson, _clock.GetUtcNow());
            throw;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The running commands are killed by now (the process helper does it on cancellation);
            // what was stored stays, and resume goes on from there.
            var cause = StopCause() is { } why ? $" by {why}" : "";
            log.Line($"stopped{cause}; resume with: culprit resume {jobId}");
            store.SetState(jobId, "stopped", record.ResultJson, _clock.GetUtcNow());
            throw new JobStoppedException(jobId);
        }
        catch (Exception ex) when (UserErrors.Is(ex) || ex is InvalidOperationException)
        {
            log.Line($"error: {ex.Message}");
            result = ResultBuilder.Error(jobId, spec, ledger.All, ex.Message);
            store.SetState(jobId, "failed", JsonSerializer.Serialize(result, JsonDefaults.Options), _clock.GetUtcNow());
            throw new JobFailedException(ex.Message, result, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug of Culprit's, not the user's: the whole exception goes to the job's log for the report.
            log.Line($"internal error: {ex}");
            var message = $"internal error: {ex.GetType().Name}: {ex.Message}";
            result = ResultBuilder.Error(jobId, spec, ledger.All, message);
            store.SetState(jobId, "failed", JsonSerializer.Serialize(result, JsonDefaults.Options), _clock.GetUtcNow());
            throw new JobFailedException($"{message} (its stack trace is in the job's log: culprit show {jobId})", result, ex);
        }
        finally
        {
            // The range's file, written aside while the job went on, is in place before the pass ends.
            await RangeCache.WaitForWriteAsync(Path.Combine(workRoot, jobId, RangeCache.FileName));
            RemoveIfEmpty(Path.Combine(workRoot, jobId));
        }
        store.SetState(jobId, "finished", JsonSerializer.Serialize(result, JsonDefaults.Options), _clock.GetUtcNow());
        // The range's cache is for resuming; a finished job leaves its work directory as it was before.
        RangeCache.Remove(Path.Combine(workRoot, jobId, RangeCache.FileName));
        new RoundPlanFile(Path.Combine(workRoot, jobId, RoundPlanFile.FileName)).Remove();
        // (The speculative builds' file stays: the store does not hold them, and a resume of the finished job counts them again.)
        RemoveIfEmpty(Path.Combine(workRoot, jobId));
        return result;
    }

    /// <summary>A job that leaves nothing to keep (its worktree removed) leaves no empty folder behind.</summary>
    private void RemoveIfEmpty(string jobDir)
    {
        foreach (var dir in new[] { jobDir, workRoot })
        {
            try
            {
                if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
                {
                    Directory.Delete(dir);
                }
            }
            catch (IOException)
            {
                // Another job's folder appeared meanwhile: it stays.
            }
        }
    }
}

/// <summary>The testers of a job's other workers, disposed together (before the first worker's, whose machines they share).</summary>
internal sealed class WorkerTesters : IAsyncDisposable
{
    private readonly List<ICommitTester> _testers = [];

    public IReadOnlyList<ICommitTester> Testers => _testers;

    public void Add(ICommitTester tester) => _testers.Add(tester);

    public async ValueTask DisposeAsync()
    {
        foreach (var tester in _testers)
        {
            await tester.DisposeAsync();
        }
    }
}

/// <summary>A job was stopped before its result (a signal); it is stored as <c>stopped</c> and <c>culprit resume</c> continues it.</summary>
public sealed class JobStoppedException(string jobId) : OperationCanceledException($"job {jobId} stopped")
{
    public string JobId { get; } = jobId;
}

/// <summary>A job stopped on an error; <see cref="Result"/> is the <c>error</c> result that was stored.</summary>
public sealed class JobFailedException(string message, JobResult result, Exception inner) : Exception(message, inner)
{
    public JobResult Result { get; } = result;
}
