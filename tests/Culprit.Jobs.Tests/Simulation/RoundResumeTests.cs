using System.Text.RegularExpressions;
using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Culprit.Core.Strategies;
using Culprit.Core.Testing;
using Culprit.Jobs.Simulation;
using Culprit.TestSupport;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// A job stopped after any number of tests, with one worker or with rounds of three, resumes to the
/// tests, verdicts and result of the same job never stopped, and decides no round again: every round
/// whose tests were all stored is recorded without its decision (each such decision costs up to a
/// second at a million commits), and the round the stop cut short is tested as its plan file says
/// (without the file, it is decided again). The simulated tester answers at once, so a round's tests
/// finish in worker order and two passes can be compared test by test.
/// </summary>
public sealed partial class RoundResumeTests : IDisposable
{
    private readonly TempDir _temp = new("culprit-round-resume");

    public void Dispose() => _temp.Dispose();

    // A flaky bug (half the runs show it) in a range of 300, no noise: a dozen rounds or more.
    private static readonly ScenarioKnobs Knobs = new(Commits: 300, ReproChance: 0.5, ExtraManifestations: 0, UnrelatedRate: 0, BrokenRate: 0, InfraRate: 0);

    [Theory]
    [InlineData("flaky", 1, true)]
    [InlineData("flaky", 3, true)]
    [InlineData("flaky", 3, false)]
    [InlineData("classic", 3, true)]
    [InlineData("classic", 1, false)]
    public async Task A_job_stopped_after_any_test_resumes_to_the_same_path_deciding_no_round_again(string policyName, int workers, bool planFile)
    {
        var scenario = ScenarioGenerator.Generate(4, 7, Knobs);
        var policy = SimulatedPolicy.Named(policyName);
        var whole = await RunAsync(scenario, policy, workers, stopAfter: null, planFile);
        Assert.Equal(ResultKind.Found.ToWire(), whole.Result.Result);
        Assert.Contains(whole.Log, l => l.StartsWith(workers > 1 ? "testing 3 commits at once: " : RoundTesting.RoundLineStart, StringComparison.Ordinal));

        for (var stopAfter = 1; stopAfter < whole.Tests.Count; stopAfter++)
        {
            var resumed = await RunAsync(scenario, policy, workers, stopAfter, planFile);

            Assert.Equal(whole.Tests, resumed.Tests);
            Assert.Equal(whole.Log, resumed.Log);
            Assert.Equal(whole.Result.Culprit?.Commit, resumed.Result.Culprit?.Commit);
            Assert.Equal(whole.Result.Confidence, resumed.Result.Confidence);
            Assert.Equal(whole.Decisions - resumed.RoundsNotDecided, resumed.Decisions);
        }
    }

    [Fact]
    public async Task A_job_stopped_in_the_search_below_a_crashing_parent_resumes_to_the_same_path()
    {
        // The repro-change case the search below the parent decides (ReproChangeTests): stopped before its first
        // test, at each of its tests, and after its last, the job resumes to the same tests, log and answer.
        var scenario = ScenarioWorlds.Generate(275, 1, World.ReproChange, SimulationPrices.Kernel.Timings(ScenarioKnobs.None));
        var whole = await RunAsync(scenario, SimulatedPolicy.Flaky, 1, stopAfter: null, planFile: true);
        var below = whole.Tests.Select((test, i) => (test, i)).Where(t => t.test.StartsWith(OlderBugSearch.Phase + " ", StringComparison.Ordinal))
            .Select(t => t.i).ToList();
        Assert.NotEmpty(below);
        Assert.Equal(ResultKind.Found.ToWire(), whole.Result.Result);

        for (var stopAfter = below[0]; stopAfter <= Math.Min(below[^1] + 1, whole.Tests.Count - 1); stopAfter++)
        {
            var resumed = await RunAsync(scenario, SimulatedPolicy.Flaky, 1, stopAfter, planFile: true);

            Assert.Equal(whole.Tests, resumed.Tests);
            Assert.Equal(whole.Log, resumed.Log);
            Assert.Equal(whole.Result.Culprit?.Commit, resumed.Result.Culprit?.Commit);
            Assert.Equal(whole.Result.Confidence, resumed.Result.Confidence);
        }
    }

    [Fact]
    public void A_plan_file_gives_back_its_round_only()
    {
        var plans = new RoundPlanFile(_temp.Sub("job") + "/" + RoundPlanFile.FileName);
        TestCommit[] round = [new("a1", 4, 100, 7, ["KASAN: use-after-free Read in foo", "WARNING in bar"]), new("b2", 1, 100, 7)];
        Assert.Null(plans.Load(3));

        plans.Save(3, round);
        Assert.Equal(round, plans.Load(3));
        Assert.Null(plans.Load(4));
        plans.Save(4, [round[1]]);
        Assert.Null(plans.Load(3));
        Assert.Equal([round[1]], plans.Load(4));

        // A title on two lines cannot be kept: no plan, rather than a wrong one.
        plans.Save(5, [new("c3", 2, 10, 3, ["BUG: one\nBUG: two"])]);
        Assert.Null(plans.Load(5));
        Assert.Null(plans.Load(4));
    }

    [Theory]
    [InlineData("culprit round plan 1\nround 2\ntest a1 4 100 7\n")]
    [InlineData("culprit round plan 1\nround 2\ntest a1 0 100 7\nend\n")]
    [InlineData("culprit round plan 1\nround 2\ntest a1 x 100 7\nend\n")]
    [InlineData("culprit round plan 1\nround 2\ntitle BUG: x\nend\n")]
    [InlineData("culprit round plan 2\nround 2\ntest a1 4 100 7\nend\n")]
    [InlineData("")]
    public void A_plan_file_cut_short_or_damaged_is_no_plan(string text)
    {
        var path = Path.Combine(_temp.Sub("damaged"), RoundPlanFile.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        Assert.Null(new RoundPlanFile(path).Load(2));
    }

    /// <param name="RoundsNotDecided">The resume's rounds recorded or tested without their decision.</param>
    private sealed record Run(JobResult Result, List<string> Tests, List<string> Log, int Decisions, int RoundsNotDecided);

    /// <summary>
    /// Runs the job; with <paramref name="stopAfter"/>, stops it once that many tests are stored and
    /// resumes it from its records. Decisions are those of the last pass. Tests are (phase, commit,
    /// runs, verdict of each run); the log leaves out the lines of builds made ahead, which a stopped
    /// pass took with it, and the note a kept build adds.
    /// </summary>
    private async Task<Run> RunAsync(Scenario scenario, SimulatedPolicy policy, int workers, int? stopAfter, bool planFile)
    {
        var history = new SimulatedHistory(scenario);
        var machines = new SimulatedMachines();
        var spec = SimulatedJob.Spec(scenario, history, policy, workers);
        var records = new MemoryJobRecords();
        var planPath = Path.Combine(_temp.Sub($"{policy.Name}-{workers}-{planFile}-{stopAfter}"), RoundPlanFile.FileName);
        var plans = planFile ? new RoundPlanFile(planPath) : null;
        var notDecided = 0;
        if (stopAfter is { } n)
        {
            using var stop = new CancellationTokenSource();
            var (stopped, _) = SimulatedJob.Pass(spec, history, records, SimulatedJob.Setup(policy, workers),
                () => new StoppingTester(new SimulatedTester(scenario, history, machines), () => records.Outcomes().Count >= n, stop), plans);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped.ExecuteAsync(stop.Token));
            Assert.Equal(n, records.Outcomes().Count);
            var whole = WholeRoundsAtTheStart(records.Outcomes());
            // The round after them is tested as planned when the stopped pass had planned it (it stopped in it).
            notDecided = whole + (File.Exists(planPath) && File.ReadLines(planPath).ElementAt(1) == $"round {whole + 1}" ? 1 : 0);
        }
        var decisions = 0;
        var own = SimulatedJob.Setup(policy, workers);
        var setup = own with { Create = (graph, verdicts) => new CountingStrategy(own.Create(graph, verdicts), () => decisions++) };
        var (execution, _) = SimulatedJob.Pass(spec, history, records, setup, () => new SimulatedTester(scenario, history, machines), plans);
        var result = await execution.ExecuteAsync(CancellationToken.None);
        var tests = records.Outcomes().Select(e => $"{e.Phase} {e.Outcome.Commit} {string.Join(",", e.Outcome.Runs.Select(r => r.Describe()))}").ToList();
        var log = records.Log().Select(l => Durations().Replace(l.Text, "T").Replace(" (built already)", "", StringComparison.Ordinal))
            .Where(l => !l.StartsWith("speculative build of ", StringComparison.Ordinal)).ToList();
        return new Run(result, tests, log, decisions, notDecided);
    }

    /// <summary>Durations the clock measured (the tests' own time): the only part of two equal jobs' logs that may differ.</summary>
    [GeneratedRegex(@"(\d+(\.\d+)?(ms|s|m|h))+")]
    private static partial Regex Durations();

    /// <summary>The bisection rounds stored whole before anything else after the ends' tests: what a resume records without deciding.</summary>
    private static int WholeRoundsAtTheStart(IReadOnlyList<StoredEntry> entries)
    {
        var bisection = entries.SkipWhile(e => e.Phase != "bisect").TakeWhile(e => e.Phase == "bisect").ToList();
        var rounds = 0;
        for (var i = 0; i < bisection.Count;)
        {
            var mark = bisection[i].Round!;
            var count = bisection.Skip(i).TakeWhile(e => e.Round == mark).Count();
            if (count != mark.Tests)
            {
                break;
            }
            rounds++;
            i += count;
        }
        return rounds;
    }

    /// <summary>The strategy as it is, counting the rounds it is asked to decide.</summary>
    private sealed class CountingStrategy(IBisectionStrategy inner, Action decided) : IBisectionStrategy
    {
        public string Name => inner.Name;

        public BisectionStep Next() => inner.Next();

        public BisectionStep NextRound(int workers)
        {
            decided();
            return inner.NextRound(workers);
        }

        public Judgement Record(CommitOutcome outcome) => inner.Record(outcome);

        public Judgement RecordStored(CommitOutcome outcome, int roundTests) => inner.RecordStored(outcome, roundTests);

        public void BuildsSameAsParent(IEnumerable<string> commits) => inner.BuildsSameAsParent(commits);

        public string? LikelyNext(string commit) => inner.LikelyNext(commit);

        public string? LikelyNext(IReadOnlyList<(string Commit, int Runs)> testing) => inner.LikelyNext(testing);

        public double ChanceOfMissing(int runs) => inner.ChanceOfMissing(runs);
    }

    /// <summary>The simulated tester, which stops the job (as a kill would) before anything more is built or run once <paramref name="stopNow"/> says so.</summary>
    private sealed class StoppingTester(ICommitTester inner, Func<bool> stopNow, CancellationTokenSource stop) : ICommitTester
    {
        public int ParallelRuns => inner.ParallelRuns;

        public bool KeepsBuilds => inner.KeepsBuilds;

        public Task<string?> PrepareAsync(string commit, CancellationToken cancellationToken)
        {
            StopIfAsked(cancellationToken);
            return inner.PrepareAsync(commit, cancellationToken);
        }

        public Task<BuildResult?> KeptBuildAsync(string commit, CancellationToken cancellationToken)
        {
            StopIfAsked(cancellationToken);
            return inner.KeptBuildAsync(commit, cancellationToken);
        }

        public Task<BuildResult> BuildAsync(string commit, CancellationToken cancellationToken)
        {
            StopIfAsked(cancellationToken);
            return inner.BuildAsync(commit, cancellationToken);
        }

        public Task<RunOutcome> RunAsync(BuildResult build, int runIndex, CancellationToken cancellationToken)
        {
            StopIfAsked(cancellationToken);
            return inner.RunAsync(build, runIndex, cancellationToken);
        }

        private void StopIfAsked(CancellationToken cancellationToken)
        {
            if (stopNow())
            {
                stop.Cancel();
            }
            cancellationToken.ThrowIfCancellationRequested();
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
