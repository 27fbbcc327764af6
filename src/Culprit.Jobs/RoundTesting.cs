using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>
/// Tests one bisection round on the job's workers: a commit alone on the worker that holds its build,
/// or a round's commits at once, each on a worker of its own; meanwhile an idle worker builds ahead
/// what the strategy will likely ask for next, once the builds the round waits for are done when the
/// workers share the machine (beside the runs, not slowing those builds). Each outcome goes to <paramref name="record"/> (the
/// job's bookkeeping: the strategy, the log's verdict line) as it finishes, under the round's lock.
/// </summary>
internal sealed class RoundTesting(
    IJobHistory repo, OutcomeLedger ledger, JobLog log, StatusTracker status, CommitTestRunner tests, IReadOnlyList<RoundWorker> workers,
    Action<IBisectionStrategy, CommitOutcome, int?> record)
{
    /// <summary>How the log line that opens each bisection round (one test alone, or a round at once) begins.</summary>
    public const string RoundLineStart = "Bisecting: ";

    /// <param name="undecided">The round's size when it was planned before a resume (its outcomes are recorded without the decision), else null.</param>
    public Task TestAsync(IBisectionStrategy strategy, IReadOnlyList<TestCommit> round, int? undecided, CancellationToken ct) =>
        round.Count == 1 ? TestAloneAsync(strategy, round[0], undecided, ct) : TestRoundAsync(strategy, round, undecided, ct);

    /// <summary>
    /// One commit of the bisection, tested by the worker that built it ahead (else the first). With
    /// more workers, an idle one meanwhile builds the commit the strategy will likely ask for next;
    /// the build waits in its worktree for that commit's test and never changes a verdict.
    /// </summary>
    private async Task TestAloneAsync(IBisectionStrategy strategy, TestCommit test, int? undecided, CancellationToken ct)
    {
        status.Range(test.RevisionsLeft, test.Steps);
        var info = await repo.CommitInfoAsync(test.Commit, ct);
        log.Line(BisectingLine(test));
        log.Line($"[{test.Commit}] {info.Subject}");
        var runner = HolderOf(test.Commit);
        SpeculativeChoice? speculation = null;
        if (workers.Count > 1 && ledger.StoredAmong([test.Commit], "bisect").Count == 0)
        {
            var worker = workers.First(w => w.Tests == runner);
            speculation = Speculate(workers.First(w => w != worker), () =>
                strategy.LikelyNext([(test.Commit, test.Runs)]) is { } next && next != test.Commit && !workers.Any(w => w.Tests.HasBuildOf(next)) ? next : null);
            worker.Log.Gate(speculation.Chosen);
        }
        var built = Signal();
        var testing = runner.TestAsync(test.Commit, test.Runs, "bisect", ct, test.SettlingTitles, built);
        var ahead = speculation?.BuildAsync(BuildsWaitedFor([built]), ct) ?? Task.CompletedTask;
        // A failed test lets the build ahead end first, as a round's failure lets its other tests end: nothing is torn down under it.
        await Task.WhenAll(testing, ahead);
        record(strategy, await testing, undecided);
    }

    /// <summary>
    /// A round: each commit on its own worker at once. Outcomes a killed round stored are taken back
    /// first, in the order they were stored; each other test is logged, stored and recorded as it
    /// finishes. A worker's failure (stopped, untestable) lets the others finish and store theirs first.
    /// </summary>
    private async Task TestRoundAsync(IBisectionStrategy strategy, IReadOnlyList<TestCommit> round, int? undecided, CancellationToken ct)
    {
        status.Range(round[0].RevisionsLeft, round[0].Steps);
        log.Line(BisectingLine(round[0]));
        log.Line($"testing {round.Count} commits at once: {string.Join(" ", round.Select(t => t.Commit))}");
        var pending = round.ToList();
        foreach (var commit in ledger.StoredAmong(round.Select(t => t.Commit).ToList(), "bisect"))
        {
            var test = pending.First(t => t.Commit == commit);
            pending.Remove(test);
            var info = await repo.CommitInfoAsync(commit, ct);
            log.Line($"[{commit}] {info.Subject}");
            record(strategy, await tests.TestAsync(commit, test.Runs, "bisect", ct, test.SettlingTitles), undecided);
        }
        var assigned = Assign(pending);
        // The round's tests still running, and the commits being built ahead for the next round; both change under the round's lock only.
        var running = pending.ToList();
        var speculating = new HashSet<string>(StringComparer.Ordinal);
        SpeculativeChoice? speculation = null;
        if (running.Count > 0 && workers.FirstOrDefault(w => assigned.All(a => a.Worker != w)) is { } idle)
        {
            // A worker without a test this round builds what the next round likely starts with.
            speculation = Speculate(idle, () => Speculation(strategy, running, speculating));
            foreach (var (_, worker) in assigned)
            {
                worker.Log.Gate(speculation.Chosen);
            }
        }
        var built = assigned.Select(_ => Signal()).ToList();
        var roundBuilt = BuildsWaitedFor(built);
        var testing = assigned.Select((a, i) => TestOnWorkerAsync(a.Worker, strategy, a.Test, running, speculating, undecided, built[i], roundBuilt, ct)).ToList();
        var ahead = speculation?.BuildAsync(roundBuilt, ct) ?? Task.CompletedTask;
        await Task.WhenAll(testing.Append(ahead));
    }

    private static TaskCompletionSource Signal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// What a build made ahead waits for before it starts: the builds of the round's tests, when they
    /// share this machine's processors with it (a round waits for them; it does not wait for one made ahead).
    /// </summary>
    private Task BuildsWaitedFor(IReadOnlyList<TaskCompletionSource> built) =>
        workers[0].Tests.Tester.BuildsShareMachine ? Task.WhenAll(built.Select(b => b.Task)) : Task.CompletedTask;

    /// <summary>
    /// Chooses, on another thread, what <paramref name="idle"/> builds ahead (a choice costs as much as a
    /// decision: up to a second at a million commits), while the tests it would otherwise delay start. Each
    /// tester of those tests is gated on the choice (<see cref="WorkerLog.Gate"/>): the log names the
    /// speculative build before their lines, and nothing is recorded with the strategy before it chose.
    /// </summary>
    private static SpeculativeChoice Speculate(RoundWorker idle, Func<string?> choose) =>
        new(idle, Task.Run(() =>
        {
            var next = choose();
            if (next is not null)
            {
                idle.Log.Line($"speculative build of {next}");
            }
            return next;
        }));

    /// <summary>An idle worker and the commit being chosen for it to build ahead (null: none).</summary>
    private sealed record SpeculativeChoice(RoundWorker Idle, Task<string?> Chosen)
    {
        /// <summary>Builds the chosen commit, once chosen and once <paramref name="after"/> is done, on the idle worker.</summary>
        public async Task BuildAsync(Task after, CancellationToken ct)
        {
            if (await Chosen is { } next)
            {
                await after.WaitAsync(ct);
                await Idle.Tests.BuildAheadAsync(next, ct);
            }
        }
    }

    /// <summary>
    /// What an idle worker should build ahead while <paramref name="running"/> go on: the strategy's
    /// likely first test once they are recorded under their likelier results, unless a worker holds
    /// or is already building it. Null when nothing is worth building.
    /// </summary>
    private string? Speculation(IBisectionStrategy strategy, List<TestCommit> running, HashSet<string> speculating)
    {
        if (running.Count == 0 || strategy.LikelyNext(running.Select(t => (t.Commit, t.Runs)).ToList()) is not { } next
            || speculating.Contains(next) || running.Any(t => t.Commit == next) || workers.Any(w => w.Tests.HasBuildOf(next)))
        {
            return null;
        }
        speculating.Add(next);
        return next;
    }

    /// <summary>A worker per test: a commit goes to the worker whose worktree holds its build (a retest), the others in order.</summary>
    private List<(TestCommit Test, RoundWorker Worker)> Assign(IReadOnlyList<TestCommit> round)
    {
        var free = workers.ToList();
        // A worker may hold builds of several of the round's commits (a tester that keeps builds): each worker takes one test.
        var held = new List<RoundWorker?>();
        foreach (var test in round)
        {
            var holder = free.FirstOrDefault(w => w.Tests.HasBuildOf(test.Commit));
            free.Remove(holder!);
            held.Add(holder);
        }
        return round.Select((t, i) => (t, held[i] ?? Take(free))).ToList();

        static RoundWorker Take(List<RoundWorker> free)
        {
            var first = free[0];
            free.RemoveAt(0);
            return first;
        }
    }

    /// <summary>
    /// A round's test on its worker. Once its outcome is recorded (under the round's lock) and others
    /// still run, the worker, idle till the round ends, builds ahead what the next round likely starts with.
    /// </summary>
    /// <param name="built">Set once this test's build is done (on every path: the others' builds made ahead wait for it).</param>
    /// <param name="roundBuilt">What this worker's own build made ahead waits for (<see cref="BuildsWaitedFor"/>).</param>
    private async Task TestOnWorkerAsync(
        RoundWorker worker, IBisectionStrategy strategy, TestCommit test, List<TestCommit> running, HashSet<string> speculating, int? undecided,
        TaskCompletionSource built, Task roundBuilt, CancellationToken ct)
    {
        string? next = null;
        try
        {
            var info = await repo.CommitInfoAsync(test.Commit, ct);
            worker.Log.Hold(outcome =>
            {
                record(strategy, outcome, undecided);
                running.Remove(test);
                next = Speculation(strategy, running, speculating);
            });
            try
            {
                worker.Log.Line($"[{test.Commit}] {info.Subject}");
                await worker.Tests.TestAsync(test.Commit, test.Runs, "bisect", ct, test.SettlingTitles, built);
            }
            finally
            {
                worker.Log.Release();
            }
        }
        finally
        {
            built.TrySetResult();
        }
        if (next is not null)
        {
            worker.Log.Line($"speculative build of {next}");
            await roundBuilt.WaitAsync(ct);
            await worker.Tests.BuildAheadAsync(next, ct);
        }
    }

    /// <summary>The worker whose worktree still holds a build of the commit (a retest needs no second build), else the first.</summary>
    private CommitTestRunner HolderOf(string commit) => workers.FirstOrDefault(w => w.Tests.HasBuildOf(commit))?.Tests ?? tests;

    private static string BisectingLine(TestCommit test)
    {
        var plural = test.RevisionsLeft == 1 ? "revision" : "revisions";
        var steps = test.Steps == 1 ? "step" : "steps";
        return $"{RoundLineStart}{test.RevisionsLeft} {plural} left to test after this (roughly {test.Steps} {steps})";
    }
}
