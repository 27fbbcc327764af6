using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;

namespace Culprit.Jobs.Simulation;

/// <summary>
/// Runs every chosen policy on generated scenarios (each through the job flow, <see cref="SimulatedJob"/>)
/// and scores them. Scenario i is derived from
/// (seed, i) alone and results are gathered by index, so the report is the same whatever the
/// thread scheduling.
/// </summary>
public static class Simulator
{
    public static readonly (string Label, double Low, double High)[] Bands =
    [
        ("0.05-0.10", 0.0, 0.1),
        ("0.10-0.20", 0.1, 0.2),
        ("0.20-0.30", 0.2, 0.3),
        ("0.30-0.50", 0.3, 0.5),
        ("0.50-0.80", 0.5, 0.8),
        ("0.80-1.00", 0.8, 1.01),
        ("<0.30", 0.0, 0.3),
        (">=0.30", 0.3, 1.01),
    ];

    public static readonly double[] CalibrationEdges = [0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.995, 1.0000001];

    /// <param name="confidence">What the flaky policy is asked for (<c>--confidence</c>; <see cref="SimulatedPolicy.Named(string, double)"/>; null: its default).</param>
    /// <param name="without">Noise left out of every scenario (<c>--without</c>).</param>
    public static SimulationReport Run(int scenarios, int seed, IReadOnlyList<string> policies, int parallelism = 2,
        SimulationPrices? prices = null, World world = World.Model, int workers = 1, double? confidence = null,
        ScenarioNoise without = ScenarioNoise.None) =>
        Run(scenarios, seed, policies.Select(p => SimulatedPolicy.Named(p, confidence ?? SimulatedPolicy.Flaky.Confidence)).ToList(),
            parallelism, prices, world, workers, confidence, without);

    /// <summary>Runs every world on the same scenario seeds: one report per world.</summary>
    public static IReadOnlyList<SimulationReport> RunWorlds(int scenarios, int seed, IReadOnlyList<string> policies, int parallelism = 2,
        SimulationPrices? prices = null, double? confidence = null, ScenarioNoise without = ScenarioNoise.None) =>
        WorldNames.All.Select(w => Run(scenarios, seed, policies, parallelism, prices, w, confidence: confidence, without: without)).ToList();

    /// <param name="prices">
    /// What builds and runs cost; the scenarios take their timings from them, so the strategies
    /// measure the prices they are scored with.
    /// </param>
    /// <param name="workers">Commits each job may test at once (the report's mean rounds count its rounds).</param>
    /// <param name="asked">The confidence the report says was asked (default: the first policy's that states one).</param>
    public static SimulationReport Run(int scenarios, int seed, IReadOnlyList<SimulatedPolicy> chosen, int parallelism = 2,
        SimulationPrices? prices = null, World world = World.Model, int workers = 1, double? asked = null,
        ScenarioNoise without = ScenarioNoise.None)
    {
        prices ??= SimulationPrices.Kernel;
        var cases = new CaseResult[scenarios];
        // Asynchronous all the way: a job's flow awaits its range listing, which must not wait for a blocked pool thread.
        Parallel.ForEachAsync(Enumerable.Range(0, scenarios), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            var scenario = ScenarioAt(i, seed, world, prices, without);
            var runs = new List<PolicyRun>(chosen.Count);
            foreach (var policy in chosen)
            {
                runs.Add(await PolicyRunner.RunAsync(scenario, policy, prices, workers, ct));
            }
            cases[i] = new CaseResult(
                i,
                scenario.Graph.Count,
                scenario.ReproChance,
                scenario.Manifestations.Count - 1,
                scenario.UnrelatedRate,
                scenario.BrokenRate,
                scenario.InfraRate,
                scenario.Ambiguous,
                runs);
        }).GetAwaiter().GetResult();
        var reports = chosen.Select((p, k) => Summarize(p.Name, cases, k, stateConfidence: p.StatesConfidence)).ToList();
        asked ??= chosen.FirstOrDefault(p => p.StatesConfidence)?.Confidence ?? SimulatedPolicy.Flaky.Confidence;
        return new SimulationReport(scenarios, seed, cases.Count(c => c.Ambiguous), reports, cases, prices, world, workers, asked.Value, without);
    }

    /// <summary>
    /// Scenario <paramref name="index"/> of a run with these settings, as <see cref="Run(int, int, IReadOnlyList{SimulatedPolicy}, int, SimulationPrices?, World, int, double?, ScenarioNoise)"/>
    /// draws it: its timings from <paramref name="prices"/>, <paramref name="without"/>'s noise left out.
    /// </summary>
    public static Scenario ScenarioAt(int index, int seed, World world, SimulationPrices prices, ScenarioNoise without) =>
        ScenarioWorlds.Generate(index, seed, world, prices.Timings(ScenarioKnobs.None with { Without = without }));

    private static PolicyReport Summarize(string name, CaseResult[] cases, int k, bool stateConfidence)
    {
        var runs = cases.Select(c => c.Runs[k]).ToList();
        var bands = Bands.Select(b =>
        {
            var inBand = cases.Where(c => c.ReproChance >= b.Low && c.ReproChance < b.High).ToList();
            return new BandAccuracy(b.Label, b.Low, Math.Min(1, b.High), inBand.Count, inBand.Count(c => c.Runs[k].Right),
                inBand.Count == 0 ? 0 : inBand.Average(c => c.Runs[k].CostMinutes), PhaseCost.Mean(inBand.Select(c => c.Runs[k].ByPhase ?? []).ToList()));
        }).ToList();
        List<CalibrationBin>? calibration = null;
        if (stateConfidence)
        {
            calibration = [];
            for (var e = 0; e + 1 < CalibrationEdges.Length; e++)
            {
                var (lo, hi) = (CalibrationEdges[e], CalibrationEdges[e + 1]);
                var inBin = runs.Where(r => r.Result.Confidence is { } c && c >= lo && c < hi).ToList();
                calibration.Add(new CalibrationBin(lo, Math.Min(1, hi), inBin.Count,
                    inBin.Count == 0 ? 0 : inBin.Average(r => r.Result.Confidence!.Value), inBin.Count(r => r.Right)));
            }
        }
        return new PolicyReport(
            name,
            cases.Length,
            runs.Count(r => r.Right),
            runs.Count == 0 ? 0 : runs.Average(r => r.Runs),
            runs.Count == 0 ? 0 : runs.Average(r => r.Builds),
            bands,
            calibration,
            runs.Count == 0 ? 0 : runs.Average(r => r.CostMinutes),
            runs.Count(r => r.ConfidentWrong),
            runs.Count(r => r.NamedDecoy),
            runs.Count == 0 ? 0 : runs.Average(r => r.Rounds),
            runs.Count == 0 ? 0 : runs.Average(r => r.BuildMinutes),
            PhaseCost.Mean(runs.Select(r => r.ByPhase ?? []).ToList()));
    }
}
