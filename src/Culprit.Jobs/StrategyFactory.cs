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
    /// shows far more often right than classic, at fewer runs than syzbot's procedure.
    /// </summary>
    public const string Default = "flaky";

    /// <summary>The one verdict function for crashes of a job's runs (cause direction): the named bug's, or any.</summary>
    public static IVerdictPolicy CausePolicy(JobSpec spec) =>
        spec.Title is { } title ? new NamedCrashPolicy(title) : AnyCrashPolicy.Instance;

    /// <summary>True for the strategy that follows git's exact path, one commit at a time (no parallel rounds).</summary>
    public static bool TestsOneCommitAtATime(JobSpec spec) => spec.Strategy == "classic";

    /// <summary>How the job's strategy judges the crashing commit and releases before the range is known.</summary>
    public static IEndpointJudge EndpointJudge(JobSpec spec) => spec.Strategy switch
    {
        "flaky" => new FlakyEndpointJudge(CausePolicy(spec), FlakyOptionsOf(spec)),
        _ => new PolicyEndpointJudge(CausePolicy(spec)),
    };

    public static IBisectionStrategy Create(JobSpec spec, CommitGraph graph, IVerdictPolicy policy) => spec.Strategy switch
    {
        "classic" => new ClassicStrategy(graph, policy, spec.Runs),
        "flaky" => new FlakyStrategy(graph, FlakyOptionsOf(spec)),
        _ => throw new JobException($"unknown strategy: {spec.Strategy} (known: {string.Join(", ", Names)})"),
    };

    private static FlakyOptions FlakyOptionsOf(JobSpec spec)
    {
        var defaults = FlakyOptions.Default;
        return new FlakyOptions(
            Confidence: spec.Confidence,
            MaxRuns: spec.MaxRuns,
            MaxBuilds: spec.MaxBuilds ?? defaults.MaxBuilds,
            AnyCrash: spec.AnyCrash,
            Seed: spec.Seed,
            FirstRuns: spec.Runs,
            Fix: spec.Direction == Direction.Fix,
            BugTitle: spec.Title,
            Workers: spec.Workers ?? 1);
    }
}
