using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;

namespace Culprit.Core.Simulation.Policies;

/// <summary>
/// A policy the simulator compares: how many runs the bad commit gets first and the strategy that
/// takes over. Strategies that cannot go on when the bad commit does not look bad end there as
/// "not reproduced", like a real job; the flaky one retries the bad commit as a job does for it.
/// </summary>
public sealed record SimulatedPolicy(
    string Name,
    int FirstRuns,
    Func<CommitGraph, IBisectionStrategy> Create,
    bool NeedsBadFirstCommit,
    bool StatesConfidence = false,
    IEndpointJudge? EndpointJudge = null)
{
    /// <summary>How the policy judges the bad commit and releases before the range is known (as the job does).</summary>
    public IEndpointJudge Judge => EndpointJudge ?? new PolicyEndpointJudge(AnyCrashPolicy.Instance);

    public static SimulatedPolicy Syzbot { get; } = new("syzbot", SyzbotStrategy.FirstRuns, g => new SyzbotStrategy(g), true);

    public static SimulatedPolicy Git { get; } = new("git", 1, g => new ClassicStrategy(g, AnyCrashPolicy.Instance, 1), true);

    public static SimulatedPolicy Classic { get; } = new("classic", 10, g => new ClassicStrategy(g, AnyCrashPolicy.Instance, 10), true);

    public static SimulatedPolicy Flaky { get; } = new("flaky", FlakyOptions.Default.FirstRuns, g => new FlakyStrategy(g), false, true,
        new FlakyEndpointJudge(AnyCrashPolicy.Instance, FlakyOptions.Default));

    /// <summary>The flake-aware strategy with other settings, to compare them.</summary>
    public static SimulatedPolicy FlakyWith(FlakyOptions options, string name = "flaky") =>
        new(name, options.FirstRuns, g => new FlakyStrategy(g, options), false, true, new FlakyEndpointJudge(AnyCrashPolicy.Instance, options));

    public static IReadOnlyList<SimulatedPolicy> All { get; } = [Syzbot, Git, Classic, Flaky];

    public static SimulatedPolicy Named(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"unknown policy: {name} (known: {string.Join(", ", All.Select(p => p.Name))})");
}
