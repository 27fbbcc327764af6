using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Core.Simulation;

/// <summary>
/// Tests commits of a scenario the way a real tester would report them, with no git or builds.
/// The n-th test of a commit draws from its own stream (scenario, commit, n), so every policy sees
/// the same world when it asks the same question, whatever it asked before. A commit is built once:
/// later tests of it only run (their outcome has no build time). A commit outside the range (a
/// release the walk reached, the range's oldest end) has no bug.
/// </summary>
public sealed class SimulatedTester(Scenario scenario)
{
    private static readonly string[] InfraReasons =
    [
        "boot failed: can't ssh into the instance",
        "lost connection to test machine",
        "infra error: failed to copy binary to the VM",
    ];

    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);

    public int Runs { get; private set; }

    /// <summary>Rounds of tests: one per test alone, one per round of tests run at once (see <see cref="TestRound"/>).</summary>
    public int Rounds { get; private set; }

    /// <summary>Commits built (each once).</summary>
    public int Builds { get; private set; }

    /// <summary>
    /// Tests a round's commits at once (one round); the outcomes in the round's order. A test stops
    /// at its first run showing one of its settling titles, as the job's runner does (see <see cref="TestCommit.SettlingTitles"/>).
    /// </summary>
    public IReadOnlyList<CommitOutcome> TestRound(IReadOnlyList<TestCommit> tests)
    {
        var outcomes = tests.Select(t => Measure(t.Commit, t.Runs, t.SettlingTitles)).ToList();
        Rounds++;
        return outcomes;
    }

    public CommitOutcome Test(string commit, int runs, IReadOnlyList<string>? settlingTitles = null)
    {
        Rounds++;
        return Measure(commit, runs, settlingTitles);
    }

    private CommitOutcome Measure(string commit, int runs, IReadOnlyList<string>? settlingTitles)
    {
        var index = scenario.Graph.IndexOf(commit);
        var attempt = _attempts.GetValueOrDefault(commit);
        _attempts[commit] = attempt + 1;
        var key = index >= 0 ? (ulong)index : 0x8000_0000_0000_0000UL ^ Convert.ToUInt64(commit[..16], 16);
        var rng = new SimRandom(SimRandom.Mix(scenario.Seed, key, (ulong)attempt));
        var buildSeconds = scenario.BuildSeconds * rng.Uniform(0.8, 1.2);
        if (attempt == 0)
        {
            Builds++;
        }
        else
        {
            buildSeconds = 0;
        }
        if (index >= 0 && scenario.IsBroken(index))
        {
            return CommitOutcome.BuildFailed(commit, "make: *** [Makefile:1234: vmlinux] Error 2", buildSeconds * rng.Uniform(0.3, 1.0), "gcc (GCC) 12.2.0");
        }
        var list = new List<RunOutcome>(runs);
        var testSeconds = 0.0;
        for (var r = 0; r < runs; r++)
        {
            var run = Run(rng, index);
            testSeconds += run.Seconds;
            list.Add(run);
            if (settlingTitles is { Count: > 0 } && run.ShowsAnyOf(settlingTitles))
            {
                break;
            }
        }
        Runs += list.Count;
        return new CommitOutcome(commit, true, list, Compiler: "gcc (GCC) 12.2.0",
            Signature: $"{rng.NextULong():x16}", BuildSeconds: buildSeconds, TestSeconds: testSeconds);
    }

    private RunOutcome Run(SimRandom rng, int index)
    {
        var full = scenario.RunSeconds * rng.Uniform(0.9, 1.1);
        if (rng.Chance(scenario.InfraRate))
        {
            return RunOutcome.Infra(InfraReasons[rng.Next(InfraReasons.Length)], full * rng.Uniform(0.05, 0.3));
        }
        if (index >= 0 && scenario.HasBug(index) && rng.Chance(scenario.ReproChanceAt(index)))
        {
            return Crash(rng, Pick(rng, scenario.ManifestationsAt(index)), full);
        }
        if (index >= 0 && scenario.HasSecondBug(index) && rng.Chance(scenario.Facts.SecondReproChance))
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
