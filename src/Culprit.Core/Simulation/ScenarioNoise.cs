namespace Culprit.Core.Simulation;

/// <summary>
/// The kinds of noise a scenario draws besides the bug itself. <c>simulate --without</c> leaves some
/// out of every scenario after it is drawn, so the same seed gives the same ranges, culprits and repro
/// chances with and without them: what each kind costs a policy is the difference.
/// </summary>
[Flags]
public enum ScenarioNoise
{
    None = 0,

    /// <summary>The bug's other crash titles (0–3 extra manifestations).</summary>
    ExtraTitles = 1,

    /// <summary>Crashes of other bugs, on every commit (0–10 % of runs).</summary>
    UnrelatedCrashes = 2,

    /// <summary>Commits that do not build (0–10 %).</summary>
    BrokenBuilds = 4,

    /// <summary>Runs lost to the machine (0–20 %).</summary>
    InfraErrors = 8,
}

public static class ScenarioNoiseNames
{
    private static readonly (ScenarioNoise Kind, string Wire)[] Names =
    [
        (ScenarioNoise.ExtraTitles, "extra-titles"),
        (ScenarioNoise.UnrelatedCrashes, "unrelated-crashes"),
        (ScenarioNoise.BrokenBuilds, "broken-builds"),
        (ScenarioNoise.InfraErrors, "infra-errors"),
    ];

    /// <summary>Every name <c>--without</c> accepts, plus <c>all</c>.</summary>
    public static IReadOnlyList<string> Known { get; } = [.. Names.Select(n => n.Wire), "all"];

    public static bool TryParse(string name, out ScenarioNoise noise)
    {
        noise = name == "all" ? Names.Aggregate(ScenarioNoise.None, (all, n) => all | n.Kind)
            : Names.FirstOrDefault(n => n.Wire == name).Kind;
        return noise != ScenarioNoise.None;
    }

    /// <summary>The wire names of the kinds in <paramref name="noise"/>, in a fixed order.</summary>
    public static IReadOnlyList<string> ToWire(this ScenarioNoise noise) =>
        Names.Where(n => noise.HasFlag(n.Kind)).Select(n => n.Wire).ToList();
}
