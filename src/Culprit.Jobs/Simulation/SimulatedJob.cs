using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Culprit.Core.Testing;

namespace Culprit.Jobs.Simulation;

/// <summary>
/// A policy's job on a scenario, run by the CLI's own job flow (<see cref="JobExecution"/>: reproduce,
/// release walk, bisection rounds, verification, result) over the scenario's history and the
/// simulated tester, with its outcomes and log in memory. A commit the machines could not test stops
/// the job as it stops a real one; the job is then resumed, as a user would, and replays what it stored.
/// </summary>
public static class SimulatedJob
{
    /// <summary>A job still stopped after this many passes (every run of a commit failing again and again) ends as an error.</summary>
    private const int MaxPasses = 50;

    /// <param name="workers">Commits tested at once in the strategy's rounds (the ends, releases and verification go one at a time, as in a job).</param>
    public static async Task<SimulatedJobRun> RunAsync(Scenario scenario, SimulatedPolicy policy, int workers = 1, CancellationToken ct = default)
    {
        var history = new SimulatedHistory(scenario);
        var machines = new SimulatedMachines();
        var spec = Spec(scenario, history, policy, workers);
        var setup = Setup(policy, workers);
        var records = new MemoryJobRecords();
        JobResult? result = null;
        for (var pass = 0; result is null; pass++)
        {
            var (execution, ledger) = Pass(spec, history, records, setup, () => new SimulatedTester(scenario, history, machines));
            try
            {
                result = await execution.ExecuteAsync(ct);
            }
            catch (UntestableCommitException ex)
            {
                // Stopped as a real job stops; the next pass is its resume, which tests that commit again.
                if (pass + 1 == MaxPasses)
                {
                    result = ResultBuilder.Error("simulated", spec, ledger.All, ex.Message);
                }
            }
        }
        var entries = records.Outcomes();
        // A round is a test alone or a round's tests at once (each opens with the round's line); every test of the ends and of verification is its own.
        var rounds = records.Log().Count(l => l.Text.StartsWith(RoundTesting.RoundLineStart, StringComparison.Ordinal))
            + entries.Count(e => e.Phase != StoredStepReplay.Phase);
        return new SimulatedJobRun(result, Answer(result), machines.Runs, machines.Builds, rounds,
            entries.Select(e => (e.Phase, e.Outcome.Commit)).ToList(), records.Log().Select(l => l.Text).ToList(),
            ByPhase(entries.Select(e => (e.Phase, e.Outcome)).ToList(), machines));
    }

    /// <summary>The job a policy runs on a scenario: the scenario's ends, the policy's first runs, confidence and strategy, with or without verification.</summary>
    internal static JobSpec Spec(Scenario scenario, SimulatedHistory history, SimulatedPolicy policy, int workers) => new()
    {
        Repo = "simulated",
        Bad = history.Bad,
        // Without releases the range's root is the good commit given; with them, the job walks the releases back.
        Good = scenario.Facts.Releases is null ? history.Root : null,
        Runs = policy.FirstRuns,
        Confidence = policy.Confidence,
        Strategy = policy.Name,
        Verify = policy.Verifies,
        Workers = workers,
        NoBuildAvoidance = true,
    };

    /// <summary>The policy's judge of the ends and its strategy over the range, for a job of <paramref name="workers"/>.</summary>
    internal static BisectionSetup Setup(SimulatedPolicy policy, int workers) => new(policy.Judge, (graph, _) => policy.Create(graph, workers));

    /// <summary>
    /// One pass of the job over its records (the first, or a resume of what they hold): a ledger and
    /// a log over the records, and one runner per worker, each with a tester of its own from <paramref name="newTester"/>;
    /// with <paramref name="plans"/>, the round being tested is kept there for the next pass.
    /// </summary>
    internal static (JobExecution Execution, OutcomeLedger Ledger) Pass(
        JobSpec spec, SimulatedHistory history, IJobRecords records, BisectionSetup setup, Func<ICommitTester> newTester, RoundPlanFile? plans = null)
    {
        var ledger = new OutcomeLedger(records);
        var log = new JobLog(records, SilentListener.Instance, () => ledger.Position, ledger.Count);
        var status = new StatusTracker(SilentListener.Instance);
        var roundLock = new object();
        var runners = Enumerable.Range(0, spec.Workers ?? 1).Select(_ =>
        {
            var workerLog = new WorkerLog(log, roundLock);
            return new RoundWorker(new CommitTestRunner(newTester(), ledger, workerLog, status), workerLog);
        }).ToList();
        return (new JobExecution(spec, "simulated", history, ledger, log, status, runners[0].Tests, runners, setup: setup, plans: plans), ledger);
    }

    /// <summary>
    /// The builds and runs of each phase, from the stored tests: a test built unless it ran a build
    /// already made (or took another commit's outcome without building), and ran the runs it stores
    /// unless it took another commit's. What the machines did beyond that is <c>other</c>, with the
    /// stored tests of phases no other name covers (one <c>other</c>: a JSON object has each key once).
    /// </summary>
    private static IReadOnlyList<PhaseCost> ByPhase(IReadOnlyList<(string Phase, CommitOutcome Outcome)> tests, SimulatedMachines machines)
    {
        var phases = tests.GroupBy(t => PhaseCost.Of(t.Phase)).Where(g => g.Key != "other")
            .Select(g => new PhaseCost(g.Key,
                g.Count(t => !t.Outcome.BuildReused && !t.Outcome.BuildAvoided),
                g.Where(t => t.Outcome.ReusedFrom is null && !t.Outcome.BuildAvoided).Sum(t => t.Outcome.Runs.Count)))
            .ToList();
        phases.Add(new PhaseCost("other", machines.Builds - phases.Sum(p => p.Builds), machines.Runs - phases.Sum(p => p.Runs)));
        return phases;
    }

    /// <summary>
    /// The job's answer as a user takes it: a culprit whose verification failed is no answer (the
    /// CLI exits 4, as for an inconclusive result), so it counts as inconclusive on that one commit.
    /// </summary>
    private static BisectionResult Answer(JobResult result)
    {
        var kind = Enum.GetValues<ResultKind>().First(k => k.ToWire() == result.Result);
        if (kind == ResultKind.Found && result.Verification is { Doubtful: true } doubt)
        {
            return new BisectionResult(ResultKind.Inconclusive, null, [result.Culprit!.Commit], result.Confidence,
                Message: $"the culprit is doubtful: {doubt.Reason}");
        }
        return new BisectionResult(kind, result.Culprit?.Commit, result.Candidates, result.Confidence, result.Probabilities, Message: result.Message);
    }

    private sealed class SilentListener : IJobListener
    {
        public static readonly SilentListener Instance = new();

        public void OnLine(string line)
        {
        }

        public void OnStatus(JobStatus status)
        {
        }
    }
}

/// <summary>
/// A simulated job: its result as the CLI would print it, the answer as scored, what the machines
/// spent (runs, builds, rounds, and by phase), the tests in order (phase, commit) and the log.
/// </summary>
public sealed record SimulatedJobRun(
    JobResult Result, BisectionResult Answer, int Runs, int Builds, int Rounds, IReadOnlyList<(string Phase, string Commit)> Tests, IReadOnlyList<string> Log,
    IReadOnlyList<PhaseCost> ByPhase);
