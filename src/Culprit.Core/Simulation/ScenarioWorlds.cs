namespace Culprit.Core.Simulation;

/// <summary>
/// Turns a benchmark scenario into one of the <see cref="World"/>s: the same range, builds, noise
/// and first culprit, with one assumption of the flaky model broken. The world's changes are drawn
/// from their own stream, so the base scenario stays the same.
/// </summary>
public static class ScenarioWorlds
{
    /// <summary>How many releases a range has at most besides its oldest end (like a few kernel releases).</summary>
    private const int MaxReleases = 6;

    public static Scenario Generate(int index, int seed, World world, ScenarioKnobs? knobs = null)
    {
        var scenario = ScenarioGenerator.Generate(index, seed, knobs);
        return world == World.Model ? scenario : Apply(scenario, world);
    }

    public static Scenario Apply(Scenario scenario, World world)
    {
        var rng = new SimRandom(SimRandom.Mix(scenario.Seed, 0x5EED_0F_0001UL, (ulong)world));
        var parents = ScenarioGenerator.ParentIndexes(scenario.Graph);
        var broken = Enumerable.Range(0, scenario.Graph.Count).Select(scenario.IsBroken).ToArray();
        var culprit = scenario.Culprit;
        var hasBug = Enumerable.Range(0, scenario.Graph.Count).Select(scenario.HasBug).ToArray();
        var names = new ScenarioGenerator.TitleMaker(rng).Taking(
            scenario.Manifestations.Concat(scenario.UnrelatedCrashes).SelectMany(m => m.AltTitles.Prepend(m.Title)));
        switch (world)
        {
            case World.SecondBug:
            {
                var other = RandomWhere(rng, scenario.Graph.Count, c => !broken[c] && c != culprit);
                if (other is not { } second)
                {
                    return scenario;
                }
                var bug = new Manifestation(names.Next(), [names.Next()], 1);
                var facts = new WorldFacts(world, second, ScenarioGenerator.Descendants(parents, second), second,
                    SecondBug: bug, SecondReproChance: scenario.ReproChance * rng.Uniform(0.2, 0.6));
                return scenario.With(culprit, hasBug, scenario.RightCandidates, facts);
            }
            case World.TitleChange:
            case World.ReproChange:
            case World.ReproRise:
            {
                if (RandomWhere(rng, scenario.Graph.Count, c => hasBug[c] && c != culprit) is not { } later)
                {
                    return scenario;
                }
                var changed = ScenarioGenerator.Descendants(parents, later);
                var cluster = names.Next();
                var titles = scenario.Manifestations.Select(m => new Manifestation(names.Next(), [cluster], m.Weight)).ToList();
                var factor = world == World.ReproRise
                    ? Math.Exp(rng.Uniform(Math.Log(4), Math.Log(16)))
                    : Math.Exp(rng.Uniform(Math.Log(0.25), Math.Log(4)));
                var facts = world == World.TitleChange
                    ? new WorldFacts(world, later, changed, later, NewManifestations: titles)
                    : new WorldFacts(world, later, changed, later, NewReproChance: Math.Clamp(scenario.ReproChance * factor, 0.02, 1));
                return scenario.With(culprit, hasBug, scenario.RightCandidates, facts);
            }
            case World.Reintroduced:
            {
                for (var attempt = 0; attempt < 20; attempt++)
                {
                    if (RandomWhere(rng, scenario.Graph.Count, c => hasBug[c] && c != culprit) is not { } fix)
                    {
                        break;
                    }
                    var fixedSet = ScenarioGenerator.Descendants(parents, fix);
                    // The reintroduction's parents are without the bug: a merge of a line that still has the first
                    // introduction (and not its fix) brings the crash back through that line, and no one commit is to blame.
                    bool Clean(int p) => !hasBug[p] || fixedSet[p];
                    if (RandomWhere(rng, scenario.Graph.Count, c => fixedSet[c] && c != fix && !broken[c] && parents[c].All(Clean)) is not { } again)
                    {
                        continue;
                    }
                    var reintroduced = ScenarioGenerator.Descendants(parents, again);
                    var bug = hasBug.Select((had, c) => reintroduced[c] || (had && !fixedSet[c])).ToArray();
                    var right = ScenarioGenerator.RightAnswer(parents, broken, reintroduced, again).Select(c => scenario.Graph.Commits[c]).ToList();
                    return scenario.With(again, bug, right, new WorldFacts(world, fix, fixedSet, culprit));
                }
                return scenario;
            }
            case World.ReleaseWalk:
            {
                var releases = Releases(scenario, rng);
                return scenario.With(culprit, hasBug, scenario.RightCandidates, new WorldFacts(world, Releases: releases));
            }
            default:
                return scenario;
        }
    }

    /// <summary>
    /// Releases on the mainline (the first-parent chain from the bad commit), newest first, spaced
    /// evenly, ending with the range's oldest end (its first-parent root outside the range, clean by
    /// construction): the walk always has a release without the bug to reach.
    /// </summary>
    private static List<string> Releases(Scenario scenario, SimRandom rng)
    {
        var graph = scenario.Graph;
        var mainline = new List<string>();
        var commit = graph.Commits[0];
        while (true)
        {
            mainline.Add(commit);
            var first = graph.ParentsOf(commit)[0];
            if (!graph.Contains(first))
            {
                break;
            }
            commit = first;
        }
        var root = graph.ParentsOf(mainline[^1])[0];
        var count = Math.Min(MaxReleases, mainline.Count - 1);
        var releases = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var at = (int)Math.Round(i * (mainline.Count - 1) / (double)(count + 1) + rng.Uniform(-0.4, 0.4));
            var release = mainline[Math.Clamp(at, 1, mainline.Count - 1)];
            if (!releases.Contains(release))
            {
                releases.Add(release);
            }
        }
        releases.Add(root);
        return releases;
    }

    private static int? RandomWhere(SimRandom rng, int count, Func<int, bool> fits)
    {
        var list = Enumerable.Range(0, count).Where(fits).ToList();
        return list.Count == 0 ? null : list[rng.Next(list.Count)];
    }
}
