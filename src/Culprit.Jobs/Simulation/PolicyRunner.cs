using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;

namespace Culprit.Jobs.Simulation;

/// <summary>Runs one policy on one scenario through <see cref="SimulatedJob"/> and scores it.</summary>
public static class PolicyRunner
{
    public static PolicyRun Run(Scenario scenario, SimulatedPolicy policy, SimulationPrices? prices = null, int workers = 1) =>
        RunAsync(scenario, policy, prices, workers).GetAwaiter().GetResult();

    public static async Task<PolicyRun> RunAsync(Scenario scenario, SimulatedPolicy policy, SimulationPrices? prices = null, int workers = 1,
        CancellationToken ct = default) =>
        (await RunWithJobAsync(scenario, policy, prices, workers, ct)).Scored;

    /// <summary>The scored run and the job behind it (its log and tests), for a look at one scenario (<c>simulate --log</c>).</summary>
    public static async Task<(PolicyRun Scored, SimulatedJobRun Job)> RunWithJobAsync(Scenario scenario, SimulatedPolicy policy, SimulationPrices? prices = null,
        int workers = 1, CancellationToken ct = default)
    {
        prices ??= SimulationPrices.Kernel;
        var job = await SimulatedJob.RunAsync(scenario, policy, workers, ct);
        var result = job.Answer;
        var decoy = scenario.Facts.Decoy is { } d && result.Kind == ResultKind.Found && result.Culprit == scenario.Graph.Commits[d];
        var scored = new PolicyRun(policy.Name, result, Scoring.IsRight(scenario, result), job.Runs, job.Builds,
            prices.CostOf(job.Builds, job.Runs), decoy, job.Rounds, prices.CostOf(job.Builds, 0), job.ByPhase);
        return (scored, job);
    }
}
