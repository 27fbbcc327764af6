namespace Culprit.Core.Simulation;

/// <summary>
/// What <c>culprit simulate</c> measured; <paramref name="Confidence"/>: what the flaky policy was asked for
/// (<c>--confidence</c>); <paramref name="Without"/>: the noise left out of the scenarios (<c>--without</c>).
/// </summary>
public sealed record SimulationReport(
    int Scenarios,
    int Seed,
    int AmbiguousCases,
    IReadOnlyList<PolicyReport> Policies,
    IReadOnlyList<CaseResult> Cases,
    SimulationPrices? Prices = null,
    World World = World.Model,
    int Workers = 1,
    double Confidence = 0.95,
    ScenarioNoise Without = ScenarioNoise.None);

/// <summary>One policy over all scenarios. <paramref name="Calibration"/> only for policies that state a confidence; <paramref name="CostByPhase"/>: mean builds and runs of each phase of the job.</summary>
public sealed record PolicyReport(
    string Name,
    int Cases,
    int Right,
    double MeanRuns,
    double MeanBuilds,
    IReadOnlyList<BandAccuracy> ByBand,
    IReadOnlyList<CalibrationBin>? Calibration,
    double MeanCostMinutes = 0,
    int ConfidentWrong = 0,
    int NamedDecoy = 0,
    double MeanRounds = 0,
    double MeanBuildMinutes = 0,
    IReadOnlyList<PhaseCost>? CostByPhase = null)
{
    /// <summary>The machine-minutes of runs: the rest of <see cref="MeanCostMinutes"/>.</summary>
    public double MeanRunMinutes => MeanCostMinutes - MeanBuildMinutes;

    public double Accuracy => Cases == 0 ? 0 : (double)Right / Cases;

    /// <summary>The share of scenarios answered wrong at a stated 95 % or more (see <see cref="PolicyRun.ConfidentWrong"/>).</summary>
    public double ConfidentWrongRate => Cases == 0 ? 0 : (double)ConfidentWrong / Cases;
}

/// <summary>
/// Accuracy over the scenarios whose repro chance is in [Low, High), and their mean machine-minutes
/// (where a policy's cost goes: a rare crash costs many runs), also by phase of the job.
/// </summary>
public sealed record BandAccuracy(string Band, double Low, double High, int Cases, int Right, double MeanCostMinutes = 0, IReadOnlyList<PhaseCost>? CostByPhase = null)
{
    public double Accuracy => Cases == 0 ? 0 : (double)Right / Cases;
}

/// <summary>Results whose stated confidence fell in [Low, High): their mean confidence and how many were right.</summary>
public sealed record CalibrationBin(double Low, double High, int Cases, double MeanConfidence, int Right)
{
    public double Accuracy => Cases == 0 ? 0 : (double)Right / Cases;
}

/// <summary>One scenario's knobs and each policy's run on it.</summary>
public sealed record CaseResult(
    int Index,
    int Commits,
    double ReproChance,
    int ExtraManifestations,
    double UnrelatedRate,
    double BrokenRate,
    double InfraRate,
    bool Ambiguous,
    IReadOnlyList<PolicyRun> Runs);
