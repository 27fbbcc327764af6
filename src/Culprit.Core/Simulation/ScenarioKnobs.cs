namespace Culprit.Core.Simulation;

/// <summary>
/// Fixes some of a scenario's knobs instead of drawing them (for pinned test scenarios). A null
/// knob is drawn from the benchmark's distribution. <paramref name="Without"/>: noise left out after
/// everything is drawn (see <see cref="ScenarioNoise"/>).
/// </summary>
public sealed record ScenarioKnobs(
    int? Commits = null,
    double? ReproChance = null,
    int? ExtraManifestations = null,
    double? UnrelatedRate = null,
    double? BrokenRate = null,
    double? InfraRate = null,
    double? BuildSeconds = null,
    double? RunSeconds = null,
    ScenarioNoise Without = ScenarioNoise.None)
{
    public static ScenarioKnobs None { get; } = new();
}
