using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Core.Testing;

namespace Culprit.Jobs.Simulation;

/// <summary>
/// The tester seam of a simulated job: builds and runs a scenario's commits the way a kernel tester
/// would report them, with no git, builds or VMs. The n-th run of a commit draws from its own stream
/// (scenario, commit, n), so every policy sees the same world when it asks the same question,
/// whatever it asked before. Builds are kept (as kernel images are): a commit tested again, by any
/// worker or after the job stopped and resumed, only runs. A commit outside the range (a release the
/// walk reached, the range's oldest end) has no bug; a revert made by <see cref="SimulatedHistory"/>
/// runs as the commit it was made on without what the reverted commit brought.
/// </summary>
internal sealed class SimulatedTester(Scenario scenario, SimulatedHistory history, SimulatedMachines machines) : ICommitTester
{
    private const string Compiler = "gcc (GCC) 12.2.0";

    private static readonly string[] InfraReasons =
    [
        "boot failed: can't ssh into the instance",
        "lost connection to test machine",
        "infra error: failed to copy binary to the VM",
    ];

    /// <summary>One run at a time: the draws follow the order the runs are asked for.</summary>
    public int ParallelRuns => 1;

    public bool KeepsBuilds => true;

    public Task<string?> PrepareAsync(string commit, CancellationToken cancellationToken) => Task.FromResult<string?>(Compiler);

    /// <summary>
    /// A commit any worker built before, in this pass or an earlier one, boots again without a build, as a
    /// kernel image kept on the machine does (a resumed job does not build again what it built before it stopped).
    /// </summary>
    public Task<BuildResult?> KeptBuildAsync(string commit, CancellationToken cancellationToken) =>
        Task.FromResult(machines.Keeps(commit) ? new BuildResult(commit, true, null, Compiler, null, 0, Kept: true) : null);

    public Task<BuildResult> BuildAsync(string commit, CancellationToken cancellationToken)
    {
        var rng = new SimRandom(SimRandom.Mix(scenario.Seed, history.Key(commit), 0xB017DUL));
        var seconds = scenario.BuildSeconds * rng.Uniform(0.8, 1.2);
        // A revert builds as the commit it was made on: reverting an unrelated change does not mend a broken build.
        var index = scenario.Graph.IndexOf(history.BaseOf(commit));
        if (index >= 0 && scenario.IsBroken(index))
        {
            machines.Built(commit, ok: false);
            return Task.FromResult(new BuildResult(commit, false, "make: *** [Makefile:1234: vmlinux] Error 2", Compiler, null, seconds * rng.Uniform(0.3, 1.0)));
        }
        machines.Built(commit, ok: true);
        return Task.FromResult(new BuildResult(commit, true, null, Compiler, null, seconds));
    }

    public Task<RunOutcome> RunAsync(BuildResult build, int runIndex, CancellationToken cancellationToken)
    {
        var n = machines.Ran(build.Commit);
        var rng = new SimRandom(SimRandom.Mix(scenario.Seed, history.Key(build.Commit), (ulong)n));
        return Task.FromResult(Run(rng, StateOf(build.Commit)));
    }

    /// <summary>Another worker: its own builds, the same machines and counts.</summary>
    public Task<ICommitTester> ForWorkerAsync(int worker, CancellationToken cancellationToken) =>
        Task.FromResult<ICommitTester>(new SimulatedTester(scenario, history, machines));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>What a commit's kernel has: the bug (how often and with which titles it shows) and the second bug.</summary>
    private readonly record struct KernelState(bool Bug, double ReproChance, IReadOnlyList<Manifestation> Titles, bool SecondBug);

    private KernelState StateOf(string commit)
    {
        var index = scenario.Graph.IndexOf(commit);
        if (index >= 0)
        {
            return new KernelState(scenario.HasBug(index), scenario.ReproChanceAt(index), scenario.ManifestationsAt(index), scenario.HasSecondBug(index));
        }
        if (history.RevertOf(commit) is not { } revert)
        {
            return new KernelState(false, 0, scenario.Manifestations, false);
        }
        // The commit the reverts were made on (one after another), less what each reverted commit brought.
        var onto = history.BaseOf(commit);
        var state = StateOf(onto);
        for (var made = commit; history.RevertOf(made) is { } r; made = r.Onto)
        {
            state = Without(state, r.Reverted, scenario.Graph.IndexOf(onto));
        }
        return state;
    }

    /// <summary>
    /// A kernel state less what <paramref name="reverted"/> brought: the bug (the culprit), or the world's change
    /// (a second bug, new titles, another repro chance) at the commit that made it. <paramref name="at"/>: the commit the revert was made on.
    /// </summary>
    private KernelState Without(KernelState state, string reverted, int at)
    {
        if (scenario.World == World.Reintroduced && scenario.Facts is { Decoy: { } first, ChangedSet: { } fixedSet } && at >= 0 && state.Bug)
        {
            // The commit's bug came from the first introduction (not yet fixed there) or from the reintroduction:
            // reverting the one it came from removes it, reverting the other does not.
            var source = fixedSet[at] ? scenario.CulpritCommit : scenario.Graph.Commits[first];
            return reverted == source ? state with { Bug = false } : state;
        }
        if (reverted == scenario.CulpritCommit)
        {
            return state with { Bug = false };
        }
        var changedAt = scenario.Facts.ChangedAt is { } c ? scenario.Graph.Commits[c] : null;
        if (reverted != changedAt)
        {
            return state;
        }
        return scenario.World switch
        {
            World.SecondBug => state with { SecondBug = false },
            World.TitleChange => state with { Titles = scenario.Manifestations },
            World.ReproChange or World.ReproRise => state with { ReproChance = scenario.ReproChance },
            _ => state,
        };
    }

    private RunOutcome Run(SimRandom rng, KernelState state)
    {
        var full = scenario.RunSeconds * rng.Uniform(0.9, 1.1);
        if (rng.Chance(scenario.InfraRate))
        {
            return RunOutcome.Infra(InfraReasons[rng.Next(InfraReasons.Length)], full * rng.Uniform(0.05, 0.3));
        }
        if (state.Bug && rng.Chance(state.ReproChance))
        {
            return Crash(rng, Pick(rng, state.Titles), full);
        }
        if (state.SecondBug && rng.Chance(scenario.Facts.SecondReproChance))
        {
            return Crash(rng, scenario.Facts.SecondBug!, full);
        }
        if (rng.Chance(scenario.UnrelatedRate))
        {
            return Crash(rng, Pick(rng, scenario.UnrelatedCrashes), full);
        }
        return RunOutcome.Ok(full);
    }

    private static RunOutcome Crash(SimRandom rng, Manifestation m, double full) =>
        RunOutcome.Crash(m.Title, $"report of {m.Title}", m.AltTitles, full * rng.Uniform(0.1, 0.9));

    private static Manifestation Pick(SimRandom rng, IReadOnlyList<Manifestation> list)
    {
        var x = rng.NextDouble() * list.Sum(m => m.Weight);
        foreach (var m in list)
        {
            x -= m.Weight;
            if (x < 0)
            {
                return m;
            }
        }
        return list[^1];
    }
}

/// <summary>
/// What a simulated job's machines did, over all its workers and passes: builds made (a wasted build
/// ahead counts), the builds they keep (any worker and any later pass boots them again), runs made,
/// and each commit's runs so far (its next run's stream).
/// </summary>
internal sealed class SimulatedMachines
{
    private readonly Dictionary<string, int> _runsOf = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private readonly HashSet<string> _kept = new(StringComparer.Ordinal);

    public int Builds { get; private set; }

    public int Runs { get; private set; }

    /// <summary>Counts a build; a successful one is kept (a failed one is not: the job's ledger remembers it).</summary>
    public void Built(string commit, bool ok)
    {
        lock (_lock)
        {
            Builds++;
            if (ok)
            {
                _kept.Add(commit);
            }
        }
    }

    /// <summary>Whether a build of <paramref name="commit"/> is kept on the machines.</summary>
    public bool Keeps(string commit)
    {
        lock (_lock)
        {
            return _kept.Contains(commit);
        }
    }

    /// <summary>Counts a run of <paramref name="commit"/>; returns how many it had before.</summary>
    public int Ran(string commit)
    {
        lock (_lock)
        {
            Runs++;
            var n = _runsOf.GetValueOrDefault(commit);
            _runsOf[commit] = n + 1;
            return n;
        }
    }
}
