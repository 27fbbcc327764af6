using System.Collections.Concurrent;
using System.Diagnostics;
using Culprit.Core.Domain;
using Culprit.Core.Testing;

namespace Culprit.Jobs;

/// <summary>
/// Tests one commit for a job: takes the stored outcome when replaying, else takes the outcome of a
/// built commit whose build it cannot change (<see cref="BuildAvoidance"/>), else checks out, builds (once per commit),
/// reuses the outcome of an equal signature, or runs the test N times (in parallel where the tester
/// allows), and appends the outcome to the ledger before anything else happens. A commit whose every
/// run was an infra error of the machine is not stored: the job stops there and a resume tests it again
/// (with <paramref name="skipUntestable"/>, it is stored as one no run could test, and skipped).
/// </summary>
internal sealed class CommitTestRunner(
    ICommitTester tester, OutcomeLedger ledger, ITestLog log, StatusTracker status, BuildAvoidance? avoidance = null, SpeculativeBuilds? speculative = null,
    bool skipUntestable = false, SetupNotes? setupNotes = null)
{
    private readonly SetupNotes _setupNotes = setupNotes ?? new SetupNotes();

    /// <summary>The tester this runner drives (the job tells it its range).</summary>
    public ICommitTester Tester => tester;

    /// <summary>
    /// The job's builds by commit (without their inputs) and the compiler each named: this pass's, and
    /// those the ledger says earlier passes made that still hold (<see cref="StoredBuilds"/>).
    /// </summary>
    /// <remarks>Concurrent: another worker's choice of what to build ahead asks it (<see cref="HasBuildOf"/>) while this one builds.</remarks>
    private readonly ConcurrentDictionary<string, (BuildResult Build, string? Compiler)> _builds = new(StoredBuilds(ledger, tester), StringComparer.Ordinal);

    /// <summary>The commit of the tester's last build: what its worktree and output hold now.</summary>
    private string? _lastBuilt;

    /// <summary>Whether <see cref="_lastBuilt"/> was built ahead (speculatively): its first test counts it as its own build.</summary>
    private bool _builtAhead;

    public int SignatureReuses { get; private set; }

    /// <param name="settlingTitles">
    /// Crash titles one run of which settles the commit (the strategy's, <c>TestCommit.SettlingTitles</c>):
    /// once a run shows one, no further run starts and the runs still going are stopped (a run the
    /// tester cut short is not kept; one that ended is); an outcome showing one stands for a test of any number of runs when
    /// another commit's outcome is taken (build avoidance, equal signature).
    /// </param>
    /// <param name="built">Set once the commit's build is done (or needs none), before its runs: a build made ahead waits for it.</param>
    public async Task<CommitOutcome> TestAsync(
        string commit, int runs, string phase, CancellationToken ct, IReadOnlyList<string>? settlingTitles = null, TaskCompletionSource? built = null)
    {
        try
        {
            return await TestBuiltAsync(commit, runs, phase, ct, settlingTitles, built);
        }
        finally
        {
            built?.TrySetResult();
        }
    }

    private async Task<CommitOutcome> TestBuiltAsync(
        string commit, int runs, string phase, CancellationToken ct, IReadOnlyList<string>? settlingTitles, TaskCompletionSource? built)
    {
        if (ledger.TakeStored(commit, phase) is { } stored)
        {
            return stored;
        }
        // Before the first test this pass runs (a resume may run on another machine).
        _setupNotes.LogNew(tester, log);
        status.Testing(commit, "building", runs);
        // Only a first test of a commit may be avoided: more runs asked for later are new runs of its own build.
        if (avoidance is not null && !ledger.HasOutcomeFor(commit) && await avoidance.FindAsync(commit, runs, settlingTitles, ct) is { } avoided)
        {
            log.Line(avoided.Line);
            return Append(avoided.Outcome, phase);
        }
        BuildResult build;
        var buildReused = false;
        var builtAhead = false;
        if (_builtAhead && _lastBuilt == commit && _builds.TryGetValue(commit, out var ahead))
        {
            // Built ahead while another commit was tested: this test's build, done early (or found kept).
            var kept = ahead.Build.Kept ? " (built already)" : "";
            log.Line((ahead.Compiler is null ? $"testing commit {commit}" : $"testing commit {commit} with {ahead.Compiler}") + kept);
            build = ahead.Build;
            builtAhead = true;
            buildReused = ahead.Build.Kept;
        }
        else if (_builds.TryGetValue(commit, out var earlier) && (!earlier.Build.Ok || tester.KeepsBuilds || _lastBuilt == commit))
        {
            // Never one commit built twice: a failed build fails again, and a build still in place
            // (the tester keeps every build, or nothing was built since) is run again.
            log.Line(earlier.Compiler is null ? $"testing commit {commit} (built already)" : $"testing commit {commit} with {earlier.Compiler} (built already)");
            build = earlier.Build with { Seconds = 0 };
            buildReused = true;
        }
        else
        {
            _lastBuilt = null;
            // Built before in this pass, but the worktree holds another build now and the tester keeps
            // none: the only way left to run it again is to build it again, and the log says so.
            var again = _builds.ContainsKey(commit) ? " (built again: its build was not kept)" : "";
            var compiler = await tester.PrepareAsync(commit, ct);
            // A build the machine keeps (another worker or job built the commit there) is not made again.
            var kept = await tester.KeptBuildAsync(commit, ct);
            var note = kept is not null ? " (built already)" : again;
            log.Line((compiler is null ? $"testing commit {commit}" : $"testing commit {commit} with {compiler}") + note);
            build = kept ?? await tester.BuildAsync(commit, ct);
            buildReused = build.Kept;
            Keep(build, compiler);
        }
        _builtAhead = false;
        if (!buildReused && build.Note is { } buildNote)
        {
            log.Line(buildNote);
        }
        if (!build.Ok)
        {
            var reason = string.IsNullOrWhiteSpace(build.Error) ? "build failed" : build.Error.Trim();
            log.Line("build failed:\n" + string.Join('\n', reason.Split('\n').Select(l => "    " + l)));
            return Append(CommitOutcome.BuildFailed(commit, reason, build.Seconds, build.Compiler) with { BuildReused = buildReused, BuiltAhead = builtAhead }, phase);
        }
        if (build.Signature is { } signature)
        {
            log.Line($"kernel signature: {signature}");
            // Only a first test takes another commit's outcome: more runs asked for later must be new runs.
            if (ledger.WithSignature(signature) is { } same && same.Commit != commit && !ledger.HasOutcomeFor(commit)
                && (same.Runs.Count >= runs || same.SettledBy(settlingTitles)))
            {
                log.Line($"same kernel as commit {same.Commit}: reusing its outcome");
                SignatureReuses++;
                return Append(same with { Commit = commit, ReusedFrom = same.Commit, BuildSeconds = build.Seconds, TestSeconds = 0, BuiltAhead = builtAhead }, phase);
            }
        }
        built?.TrySetResult();
        status.Testing(commit, "testing", runs);
        // Runs of a commit are numbered across its tests, so a retest's runs are new runs, not the same ones again.
        var firstRun = ledger.RunsSoFar(commit);
        var watch = Stopwatch.StartNew();
        // As many workers as runs may go at once, each taking the next run index: memory follows the
        // runs done, not the runs asked for. Each run's output is capped before it is kept.
        var results = new SortedDictionary<int, RunOutcome>();
        var next = -1;
        // Cancelled once a run showed a settling title: the runs still going end, none starts.
        using var settled = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var workers = Enumerable.Range(0, Math.Clamp(tester.ParallelRuns, 1, runs)).Select(async _ =>
        {
            int i;
            while (!settled.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < runs)
            {
                RunOutcome run;
                try
                {
                    run = RunOutputCap.Apply(await tester.RunAsync(build, firstRun + i, settled.Token));
                }
                catch (OperationCanceledException) when (settled.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    return;
                }
                // A run that ended, even after the settling one, is kept: it was paid for and says something.
                lock (results)
                {
                    results[i] = run;
                }
                status.RunDone(run);
                if (run.ShowsAnyOf(settlingTitles ?? []))
                {
                    await settled.CancelAsync();
                }
            }
        });
        await Task.WhenAll(workers);
        ct.ThrowIfCancellationRequested();
        // The runs may have changed it (the VMs fell back to TCG): said before their lines.
        _setupNotes.LogNew(tester, log);
        if (results.Count < runs && settled.IsCancellationRequested)
        {
            log.Line($"stopped after {results.Count} of {runs} runs: the bug's crash settles the commit");
        }
        var outcome = new CommitOutcome(commit, true, [.. results.Values], null, build.Compiler, build.Signature, build.Seconds, watch.Elapsed.TotalSeconds,
            BuildReused: buildReused, BuiltAhead: builtAhead, Artifact: build.Artifact);
        if (outcome.Untestable)
        {
            var message = UntestableCommitException.Describe(outcome);
            if (skipUntestable)
            {
                // As git bisect run takes a 125: the commit is what cannot be tested. Its runs are kept as
                // the commit's own failures, so every strategy and every later pass skip it (the job logs them).
                log.Line($"{message}: skipped (--skip-untestable)");
                return Append(outcome with { Runs = [.. outcome.Runs.Select(r => r with { CommitFault = true })] }, phase);
            }
            foreach (var line in RunLines.For(outcome))
            {
                log.Line(line);
            }
            log.Line(message);
            throw new UntestableCommitException(message);
        }
        return Append(outcome, phase);
    }

    /// <summary>Whether this worker holds a build of <paramref name="commit"/> (its last test's, or one built ahead).</summary>
    public bool HasBuildOf(string commit) => _lastBuilt == commit || (tester.KeepsBuilds && _builds.ContainsKey(commit));

    /// <summary>
    /// Checks out and builds a commit that will likely be tested next, while this worker is idle;
    /// nothing is stored: the build waits for that commit's test (a wrong guess costs only the build).
    /// </summary>
    public async Task BuildAheadAsync(string commit, CancellationToken ct)
    {
        _lastBuilt = null;
        try
        {
            var compiler = await tester.PrepareAsync(commit, ct);
            var build = await tester.BuildAsync(commit, ct);
            Keep(build, compiler);
            _builtAhead = true;
            speculative?.Made(commit, build.Seconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A guess only: what failed here happens again, and is reported, when the commit is really tested.
            _builds.TryRemove(commit, out _);
            _lastBuilt = null;
        }
    }

    /// <summary>
    /// What the ledger says was built in earlier passes and holds still: a failed build (it fails
    /// again), and, when the tester keeps builds, a build whose artifact is still where it was kept.
    /// A build that is not kept (a worktree's, which a new pass makes afresh) is built again.
    /// </summary>
    private static Dictionary<string, (BuildResult Build, string? Compiler)> StoredBuilds(OutcomeLedger ledger, ICommitTester tester)
    {
        var builds = new Dictionary<string, (BuildResult Build, string? Compiler)>(StringComparer.Ordinal);
        foreach (var o in ledger.All.Select(e => e.Outcome).Where(o => o.ReusedFrom is null && !o.BuildAvoided))
        {
            if (!o.Built)
            {
                builds[o.Commit] = (new BuildResult(o.Commit, false, o.BuildError, o.Compiler, null, o.BuildSeconds), o.Compiler);
            }
            else if (tester.KeepsBuilds && o.Artifact is { } artifact && File.Exists(artifact))
            {
                builds[o.Commit] = (new BuildResult(o.Commit, true, null, o.Compiler, o.Signature, o.BuildSeconds, artifact), o.Compiler);
            }
        }
        return builds;
    }

    /// <summary>Keeps a build as what this worker holds now, and its inputs for build avoidance.</summary>
    private void Keep(BuildResult build, string? compiler)
    {
        _builds[build.Commit] = (build with { Inputs = null }, compiler);
        _lastBuilt = build.Commit;
        if (build is { Ok: true, Inputs: { } inputs })
        {
            avoidance?.Record(build.Commit, inputs);
        }
    }

    private CommitOutcome Append(CommitOutcome outcome, string phase)
    {
        log.Stored(outcome, () => ledger.Append(outcome, phase));
        return outcome;
    }
}
