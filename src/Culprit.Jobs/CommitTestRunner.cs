using System.Diagnostics;
using Culprit.Core.Domain;
using Culprit.Core.Testing;

namespace Culprit.Jobs;

/// <summary>
/// Tests one commit for a job: takes the stored outcome when replaying, else checks out, builds,
/// reuses the outcome of an equal signature, or runs the test N times (in parallel where the tester
/// allows), and appends the outcome to the ledger before anything else happens. A commit whose every
/// run was an infra error of the machine is not stored: the job stops there and a resume tests it again.
/// </summary>
internal sealed class CommitTestRunner(ICommitTester tester, OutcomeLedger ledger, ITestLog log, StatusTracker status)
{
    private bool _setupLogged;

    /// <summary>The tester's last build (what its worktree and output hold now) and the compiler it named.</summary>
    private BuildResult? _lastBuild;
    private string? _lastCompiler;

    /// <summary>Whether <see cref="_lastBuild"/> was built ahead (speculatively): its first test counts it as its own build.</summary>
    private bool _builtAhead;

    public int SignatureReuses { get; private set; }

    public async Task<CommitOutcome> TestAsync(string commit, int runs, string phase, CancellationToken ct)
    {
        if (ledger.TakeStored(commit, phase) is { } stored)
        {
            return stored;
        }
        if (!_setupLogged && tester.SetupNote is { } setup)
        {
            // Before the first test this pass runs (a resume may run on another machine).
            log.Line(setup);
        }
        _setupLogged = true;
        status.Testing(commit, "building", runs);
        BuildResult build;
        var buildReused = false;
        if (_builtAhead && _lastBuild is { } ahead && ahead.Commit == commit)
        {
            // Built ahead while another commit was tested: this test's build, done early.
            log.Line(_lastCompiler is null ? $"testing commit {commit}" : $"testing commit {commit} with {_lastCompiler}");
            build = ahead;
        }
        else if (_lastBuild is { Ok: true } last && last.Commit == commit)
        {
            // A retest right after a test of the same commit: its build is still in place, so no second build.
            log.Line(_lastCompiler is null ? $"testing commit {commit} (built already)" : $"testing commit {commit} with {_lastCompiler} (built already)");
            build = last with { Seconds = 0 };
            buildReused = true;
        }
        else
        {
            _lastBuild = null;
            var compiler = await tester.PrepareAsync(commit, ct);
            log.Line(compiler is null ? $"testing commit {commit}" : $"testing commit {commit} with {compiler}");
            build = await tester.BuildAsync(commit, ct);
            (_lastBuild, _lastCompiler) = (build, compiler);
        }
        _builtAhead = false;
        if (!build.Ok)
        {
            var reason = string.IsNullOrWhiteSpace(build.Error) ? "build failed" : build.Error.Trim();
            log.Line("build failed:\n" + string.Join('\n', reason.Split('\n').Select(l => "    " + l)));
            return Append(CommitOutcome.BuildFailed(commit, reason, build.Seconds, build.Compiler), phase);
        }
        if (build.Signature is { } signature)
        {
            log.Line($"kernel signature: {signature}");
            // Only a first test takes another commit's outcome: more runs asked for later must be new runs.
            if (ledger.WithSignature(signature) is { } same && same.Commit != commit && !ledger.HasOutcomeFor(commit) && same.Runs.Count >= runs)
            {
                log.Line($"same kernel as commit {same.Commit}: reusing its outcome");
                SignatureReuses++;
                return Append(same with { Commit = commit, ReusedFrom = same.Commit, BuildSeconds = build.Seconds, TestSeconds = 0 }, phase);
            }
        }
        status.Testing(commit, "testing", runs);
        // Runs of a commit are numbered across its tests, so a retest's runs are new runs, not the same ones again.
        var firstRun = ledger.RunsSoFar(commit);
        var watch = Stopwatch.StartNew();
        // As many workers as runs may go at once, each taking the next run index: memory follows the
        // runs done, not the runs asked for. Each run's output is capped before it is kept.
        var results = new SortedDictionary<int, RunOutcome>();
        var next = -1;
        var workers = Enumerable.Range(0, Math.Clamp(tester.ParallelRuns, 1, runs)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < runs)
            {
                var run = RunOutputCap.Apply(await tester.RunAsync(build, firstRun + i, ct));
                lock (results)
                {
                    results[i] = run;
                }
                status.RunDone(run);
            }
        });
        await Task.WhenAll(workers);
        var outcome = new CommitOutcome(commit, true, [.. results.Values], null, build.Compiler, build.Signature, build.Seconds, watch.Elapsed.TotalSeconds,
            BuildReused: buildReused);
        if (outcome.Untestable)
        {
            foreach (var line in RunLines.For(outcome))
            {
                log.Line(line);
            }
            var message = UntestableCommitException.Describe(outcome);
            log.Line(message);
            throw new UntestableCommitException(message);
        }
        return Append(outcome, phase);
    }

    /// <summary>Whether this worker holds a build of <paramref name="commit"/> (its last test's, or one built ahead).</summary>
    public bool HasBuildOf(string commit) => _lastBuild?.Commit == commit;

    /// <summary>
    /// Checks out and builds a commit that will likely be tested next, while this worker is idle;
    /// nothing is stored: the build waits for that commit's test (a wrong guess costs only the build).
    /// </summary>
    public async Task BuildAheadAsync(string commit, CancellationToken ct)
    {
        _lastBuild = null;
        try
        {
            var compiler = await tester.PrepareAsync(commit, ct);
            var build = await tester.BuildAsync(commit, ct);
            (_lastBuild, _lastCompiler, _builtAhead) = (build, compiler, true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A guess only: what failed here happens again, and is reported, when the commit is really tested.
            _lastBuild = null;
        }
    }

    private CommitOutcome Append(CommitOutcome outcome, string phase)
    {
        log.Stored(outcome, () => ledger.Append(outcome, phase));
        return outcome;
    }
}
