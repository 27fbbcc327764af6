using Culprit.Core.Domain;

namespace Culprit.Core.Simulation;

/// <summary>
/// Tests commits of a scenario the way a real tester would report them, with no git or builds.
/// The n-th test of a commit draws from its own stream (scenario, commit, n), so every policy sees
/// the same world when it asks the same question, whatever it asked before.
/// </summary>
public sealed class SimulatedTester(Scenario scenario)
{
    private static readonly string[] InfraReasons =
    [
        "boot failed: can't ssh into the instance",
        "lost connection to test machine",
        "infra error: failed to copy binary to the VM",
    ];

    private readonly Dictionary<int, int> _attempts = [];

    public int Runs { get; private set; }

    public int Builds { get; private set; }

    public CommitOutcome Test(string commit, int runs)
    {
        var index = scenario.Graph.IndexOf(commit);
        if (index < 0)
        {
            throw new ArgumentException($"commit {commit} is not in the scenario's range");
        }
        var attempt = _attempts.GetValueOrDefault(index);
        _attempts[index] = attempt + 1;
        var rng = new SimRandom(SimRandom.Mix(scenario.Seed, (ulong)index, (ulong)attempt));
        Builds++;
        var buildSeconds = scenario.BuildSeconds * rng.Uniform(0.8, 1.2);
        if (scenario.IsBroken(index))
        {
            return CommitOutcome.BuildFailed(commit, "make: *** [Makefile:1234: vmlinux] Error 2", buildSeconds * rng.Uniform(0.3, 1.0), "gcc (GCC) 12.2.0");
        }
        Runs += runs;
        var list = new List<RunOutcome>(runs);
        var testSeconds = 0.0;
        for (var r = 0; r < runs; r++)
        {
            var run = Run(rng, scenario.HasBug(index));
            testSeconds += run.Seconds;
            list.Add(run);
        }
        return new CommitOutcome(commit, true, list, Compiler: "gcc (GCC) 12.2.0",
            Signature: $"{rng.NextULong():x16}", BuildSeconds: buildSeconds, TestSeconds: testSeconds);
    }

    private RunOutcome Run(SimRandom rng, bool hasBug)
    {
        var full = scenario.RunSeconds * rng.Uniform(0.9, 1.1);
        if (rng.Chance(scenario.InfraRate))
        {
            return RunOutcome.Infra(InfraReasons[rng.Next(InfraReasons.Length)], full * rng.Uniform(0.05, 0.3));
        }
        if (hasBug && rng.Chance(scenario.ReproChance))
        {
            var m = Pick(rng, scenario.Manifestations);
            return RunOutcome.Crash(m.Title, $"report of {m.Title}", m.AltTitles, full * rng.Uniform(0.1, 0.9));
        }
        if (rng.Chance(scenario.UnrelatedRate))
        {
            var m = Pick(rng, scenario.UnrelatedCrashes);
            return RunOutcome.Crash(m.Title, $"report of {m.Title}", m.AltTitles, full * rng.Uniform(0.1, 0.9));
        }
        return RunOutcome.Ok(full);
    }

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
