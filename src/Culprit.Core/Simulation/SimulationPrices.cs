namespace Culprit.Core.Simulation;

/// <summary>
/// What a build and a run cost, in machine-minutes. The defaults are the seed log's kernel prices
/// (a build about 6 minutes, a boot-and-run about 36 s). The simulated tester takes its timings from
/// them, so the strategies measure the same prices they are scored with.
/// </summary>
public sealed record SimulationPrices(double BuildMinutes = SimulationPrices.KernelBuildMinutes, double RunMinutes = SimulationPrices.KernelRunMinutes)
{
    public const double KernelBuildMinutes = 6;
    public const double KernelRunMinutes = 0.6;

    public static SimulationPrices Kernel { get; } = new();

    /// <summary>A commit is built once (later tests of it only run); a broken build costs a build.</summary>
    public double CostOf(int builds, int runs) => builds * BuildMinutes + runs * RunMinutes;

    public ScenarioKnobs Timings(ScenarioKnobs knobs) => knobs with { BuildSeconds = BuildMinutes * 60, RunSeconds = RunMinutes * 60 };
}
