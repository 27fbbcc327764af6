using System.Diagnostics;
using Culprit.Core.Domain;
using Culprit.Core.Testing;

namespace Culprit.Jobs;

/// <summary>
/// Tests one commit for a job: takes the stored outcome when replaying, else checks out, builds,
/// reuses the outcome of an equal signature, or runs the test N times (in parallel where the tester
/// allows), and appends the outcome to the ledger before anything else happens.
/// </summary>
internal sealed class CommitTestRunner(ICommitTester tester, OutcomeLedger ledger, JobLog log, StatusTracker status)
{
    public int SignatureReuses { get; private set; }

    public async Task<CommitOutcome> TestAsync(string commit, int runs, string phase, CancellationToken ct)
    {
        if (ledger.TakeStored(commit, phase) is { } stored)
        {
            return stored;
        }
        status.Testing(commit, "building", runs);
        var compiler = await tester.PrepareAsync(commit, ct);
        log.Line(compiler is null ? $"testing commit {commit}" : $"testing commit {commit} with {compiler}");
        var build = await tester.BuildAsync(commit, ct);
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
                var run = RunOutputCap.Apply(await tester.RunAsync(build, i, ct));
                lock (results)
                {
                    results[i] = run;
                }
                status.RunDone(run);
            }
        });
        await Task.WhenAll(workers);
        var outcome = new CommitOutcome(commit, true, [.. results.Values], null, build.Compiler, build.Signature, build.Seconds, watch.Elapsed.TotalSeconds);
        return Append(outcome, phase);
    }

    private CommitOutcome Append(CommitOutcome outcome, string phase)
    {
        ledger.Append(outcome, phase);
        return outcome;
    }
}
