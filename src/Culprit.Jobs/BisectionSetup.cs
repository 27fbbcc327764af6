using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>
/// What a job bisects with: the judge of its ends (before the range is known) and its strategy over
/// the range, given the job's verdict policy. A CLI job's comes from its spec (<see cref="For"/>);
/// <c>culprit simulate</c> passes each policy's own, so the job never asks which one it runs.
/// </summary>
public sealed record BisectionSetup(IEndpointJudge Judge, Func<CommitGraph, IVerdictPolicy, IBisectionStrategy> Create)
{
    public static BisectionSetup For(JobSpec spec) =>
        new(StrategyFactory.EndpointJudge(spec), (graph, policy) => StrategyFactory.Create(spec, graph, policy));
}
