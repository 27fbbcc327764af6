using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>Builds the strategy a job asked for over its range.</summary>
internal static class StrategyFactory
{
    public static readonly string[] Names = ["classic"];

    public static IBisectionStrategy Create(JobSpec spec, CommitGraph graph, IVerdictPolicy policy) => spec.Strategy switch
    {
        "classic" => new ClassicStrategy(graph, policy, spec.Runs),
        _ => throw new JobException($"unknown strategy: {spec.Strategy} (known: {string.Join(", ", Names)})"),
    };
}
