using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Culprit.Core.Testing;
using Culprit.Jobs.Simulation;
using Culprit.Jobs.Tests.Flow;
using Culprit.Store;
using Culprit.TestSupport;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// The simulator runs the CLI's job flow: a real job (real git, store, runner) whose tester answers
/// as the simulated tester does takes the same steps and reaches the same result as the simulation
/// of the same world; and verification, now part of the simulated flow, rejects wrong culprits.
/// </summary>
public class SimulationMatchesJobTests
{
    private const int Commits = 40;

    [Fact]
    public async Task A_real_job_and_the_simulated_job_of_one_world_test_the_same_commits_and_agree()
    {
        using var temp = new TempDir("culprit-simflow");
        // Each commit writes its own file, so the culprit's revert applies on the bad commit in git as in the simulation.
        var repo = await LinearRepository.CreateAsync(temp.Sub("repo"), Commits, fileOf: n => $"f{n}");
        var (scenario, simulated) = await FirstVerifiedAsync(repo);

        var real = await RealJobAsync(temp, repo, scenario, simulated.Answer.Culprit!);

        Assert.Equal(simulated.Result.Result, real.Result);
        Assert.Equal(simulated.Result.Culprit?.Commit, real.Culprit?.Commit);
        Assert.Equal(simulated.Result.Verification, real.Verification);
        // The revert is a commit each history makes its own way: its place and phase match, not its hash.
        Assert.Equal(Steps(simulated.Tests, scenario), Steps(real.Tested.Select(t => (t.Phase!, t.Commit)).ToList(), scenario));
        Assert.Equal(simulated.Result.Tested.Select(t => t.Runs.Count), real.Tested.Select(t => t.Runs.Count));
    }

    [Fact]
    public async Task Verification_rejects_a_wrong_culprit_and_keeps_it_from_being_confidently_wrong()
    {
        var knobs = new ScenarioKnobs(Commits: 200, ReproChance: 0.3, UnrelatedRate: 0, BrokenRate: 0, InfraRate: 0);
        PolicyRun? caught = null;
        SimulatedJobRun? job = null;
        for (var i = 0; i < 60 && caught is null; i++)
        {
            var scenario = ScenarioGenerator.Generate(i, 3, knobs);
            job = await SimulatedJob.RunAsync(scenario, SimulatedPolicy.Git);
            if (job.Result.Culprit is { } named && named.Commit != scenario.CulpritCommit && job.Result.Verification is { Doubtful: true })
            {
                caught = await PolicyRunner.RunAsync(scenario, SimulatedPolicy.Git);
            }
        }

        // git's one run per commit names a wrong culprit at a 30 % repro chance; reverting it leaves the crash, or its parent crashes.
        Assert.NotNull(caught);
        Assert.Contains(job!.Log, l => l.StartsWith("the culprit is doubtful: ", StringComparison.Ordinal));
        Assert.Equal(ResultKind.Inconclusive, caught.Result.Kind);
        Assert.False(caught.Right);
        Assert.False(caught.ConfidentWrong);
    }

    /// <summary>The simulated job of the first world over the repository whose culprit the flaky policy finds and reverts.</summary>
    private static async Task<(Scenario, SimulatedJobRun)> FirstVerifiedAsync(LinearRepository repo)
    {
        for (var seed = 1; seed < 40; seed++)
        {
            var scenario = World(repo, seed);
            var job = await SimulatedJob.RunAsync(scenario, SimulatedPolicy.Flaky);
            if (job.Answer.Kind == ResultKind.Found && job.Tests.Any(t => t.Phase == "verify-revert"))
            {
                return (scenario, job);
            }
        }
        throw new InvalidOperationException("no world whose culprit is found and reverted");
    }

    /// <summary>
    /// A world over the repository's commits (the oldest, commit 0, is the good end): a culprit in the
    /// middle crashing in 60 % of runs with two titles, 5 % unrelated crashes, a broken build two commits before it.
    /// </summary>
    private static Scenario World(LinearRepository repo, int seed)
    {
        var hashes = repo.Hashes;
        var graph = new CommitGraph(Enumerable.Range(1, Commits - 1).Reverse().Select(n => (hashes[n], (IReadOnlyList<string>)[hashes[n - 1]])));
        // Graph index i is commit Commits - 1 - i.
        var culprit = Commits - 1 - (15 + seed % 10);
        var broken = Enumerable.Range(0, graph.Count).Select(i => i == culprit + 2).ToArray();
        var hasBug = Enumerable.Range(0, graph.Count).Select(i => i <= culprit).ToArray();
        Manifestation[] bug = [new("KASAN: use-after-free Read in tcp_close", ["tcp_close"], 1), new("WARNING in tcp_close", ["tcp_close"], 0.3)];
        Manifestation[] unrelated = [new("INFO: task hung in ext4_evict", [], 1)];
        return new Scenario(0, (ulong)seed, graph, culprit, 0.6, bug, 0.05, unrelated, 0.03, 0, 600, 60, broken, hasBug, [graph.Commits[culprit]]);
    }

    /// <summary>The real job: git, the store and the job runner, with a tester that answers as the simulation's does.</summary>
    private static async Task<JobResult> RealJobAsync(TempDir temp, LinearRepository repo, Scenario scenario, string culprit)
    {
        var history = new SimulatedHistory(scenario);
        var machines = new SimulatedMachines();
        using var store = JobStore.Open(temp.Sub("jobs.db"));
        var runner = new JobRunner(store, (_, _, _, _) => Task.FromResult<ICommitTester>(new AsSimulated(repo, history, new SimulatedTester(scenario, history, machines), culprit)),
            new TextJobListener(TextWriter.Null), temp.Sub("work"));
        var id = await runner.CreateAsync(new JobSpec
        {
            Repo = repo.Path, Bad = repo.Hashes[^1], Good = repo.Hashes[0], Strategy = "flaky", Runs = SimulatedPolicy.Flaky.FirstRuns,
            Build = "true", Test = "true", Workers = 1, NoBuildAvoidance = true,
        });
        return await runner.RunAsync(id);
    }

    /// <summary>Each test as (phase, commit), the revert named by what it reverts.</summary>
    private static List<(string, string)> Steps(IReadOnlyList<(string Phase, string Commit)> tests, Scenario scenario) =>
        tests.Select(t => (t.Phase, t.Phase == "verify-revert" ? "revert" : t.Commit)).ToList();

    /// <summary>
    /// The real job's tester: the simulated tester, asked about the same commits; the revert git made
    /// (a commit the scenario does not know) is asked about as the simulated history's revert of the culprit.
    /// </summary>
    private sealed class AsSimulated(LinearRepository repo, SimulatedHistory history, SimulatedTester inner, string culprit) : ICommitTester
    {
        public int ParallelRuns => inner.ParallelRuns;

        public bool KeepsBuilds => inner.KeepsBuilds;

        public Task<string?> PrepareAsync(string commit, CancellationToken ct) => inner.PrepareAsync(commit, ct);

        public async Task<BuildResult> BuildAsync(string commit, CancellationToken ct) =>
            (await inner.BuildAsync(await SimulatedAsync(commit, ct), ct)) with { Commit = commit };

        public async Task<RunOutcome> RunAsync(BuildResult build, int runIndex, CancellationToken ct) =>
            await inner.RunAsync(build with { Commit = await SimulatedAsync(build.Commit, ct) }, runIndex, ct);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private async Task<string> SimulatedAsync(string commit, CancellationToken ct) =>
            repo.IndexOf(commit) >= 0 ? commit : (await history.ApplyAsync(culprit, repo.Hashes[^1], true, false, ct))!;
    }
}
