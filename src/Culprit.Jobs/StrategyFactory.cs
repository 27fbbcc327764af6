using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>Builds the strategy a job asked for over its range.</summary>
public static class StrategyFactory
{
    public static readonly string[] Names = ["classic", "flaky"];

    /// <summary>
    /// The strategy used when none is named: flaky, which the accuracy benchmark (culprit simulate)
    /// shows far more often right than classic at fewer runs than syzbot's; classic for fixes, which
    /// the flaky strategy does not model.
    /// </summary>
    public static string DefaultFor(Direction direction) => direction == Direction.Fix ? "classic" : "flaky";

    public static IBisectionStrategy Create(JobSpec spec, CommitGraph graph, IVerdictPolicy policy) => spec.Strategy switch
    {
        "classic" => new ClassicStrategy(graph, policy, spec.Runs),
        "flaky" when spec.Direction == Direction.Cause => new FlakyStrategy(graph, FlakyOptionsOf(spec)),
        "flaky" => throw new JobException("the flaky strategy bisects causes only; use --strategy classic with --fix"),
        _ => throw new JobException($"unknown strategy: {spec.Strategy} (known: {string.Join(", ", Names)})"),
    };

    private static FlakyOptions FlakyOptionsOf(JobSpec spec)
    {
        var defaults = FlakyOptions.Default;
        return new FlakyOptions(
            Confidence: spec.Confidence,
            MaxRuns: spec.MaxRuns ?? defaults.MaxRuns,
            MaxBuilds: spec.MaxBuilds ?? defaults.MaxBuilds,
            AnyCrash: spec.AnyCrash,
            Seed: spec.Seed,
            FirstRuns: spec.Runs);
    }
}
