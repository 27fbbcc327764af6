using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;

namespace Culprit.Core.Simulation.Policies;

/// <summary>
/// A policy the simulator compares: how many runs the bad commit gets first (the job's <c>--runs</c>),
/// the strategy that bisects, how the ends are judged before the range is known (as the job does), and
/// whether the job verifies its culprit. The simulated job runs the CLI's job flow with them, at the
/// policy's <paramref name="Confidence"/> (the job's <c>--confidence</c>: the flaky strategy's stop
/// rule and the verification's run counts). <paramref name="Create"/> makes the strategy for a range and the
/// job's workers (the flaky strategy's default run budget grows with them, as a CLI job's does).
/// </summary>
public sealed record SimulatedPolicy(
    string Name,
    int FirstRuns,
    Func<CommitGraph, int, IBisectionStrategy> Create,
    bool StatesConfidence = false,
    IEndpointJudge? EndpointJudge = null,
    bool Verifies = true,
    double Confidence = 0.95)
{
    /// <summary>How the policy judges the bad commit and releases before the range is known (as the job does).</summary>
    public IEndpointJudge Judge => EndpointJudge ?? new PolicyEndpointJudge(AnyCrashPolicy.Instance);

    /// <summary>
    /// syzbot as it runs: its thresholds judge the bad commit (too few crashes: not reproduced) and the
    /// releases as they judge the range's commits; it does not verify its culprit.
    /// </summary>
    public static SimulatedPolicy Syzbot { get; } = new("syzbot", SyzbotStrategy.FirstRuns, (g, _) => new SyzbotStrategy(g),
        EndpointJudge: new PolicyEndpointJudge(new SyzbotPolicy()), Verifies: false);

    public static SimulatedPolicy Git { get; } = new("git", 1, (g, _) => new ClassicStrategy(g, AnyCrashPolicy.Instance, 1));

    public static SimulatedPolicy Classic { get; } = new("classic", 10, (g, _) => new ClassicStrategy(g, AnyCrashPolicy.Instance, 10));

    public static SimulatedPolicy Flaky { get; } = new("flaky", FlakyOptions.Default.FirstRuns, (g, workers) => new FlakyStrategy(g, FlakyOptions.Default with { Workers = workers }), true,
        new FlakyEndpointJudge(AnyCrashPolicy.Instance, FlakyOptions.Default));

    /// <summary>The flake-aware strategy with other settings, to compare them.</summary>
    public static SimulatedPolicy FlakyWith(FlakyOptions options, string name = "flaky") =>
        new(name, options.FirstRuns, (g, workers) => new FlakyStrategy(g, options with { Workers = workers }), true, new FlakyEndpointJudge(AnyCrashPolicy.Instance, options),
            Confidence: options.Confidence);

    /// <summary>
    /// The policy called <paramref name="name"/>, asked for <paramref name="confidence"/>: the flaky strategy
    /// stops and verifies at it; the others state no confidence and stay as they are.
    /// </summary>
    public static SimulatedPolicy Named(string name, double confidence) =>
        name == Flaky.Name && confidence != Flaky.Confidence
            ? FlakyWith(FlakyOptions.Default with { Confidence = confidence })
            : Named(name);

    public static IReadOnlyList<SimulatedPolicy> All { get; } = [Syzbot, Git, Classic, Flaky];

    public static SimulatedPolicy Named(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"unknown policy: {name} (known: {string.Join(", ", All.Select(p => p.Name))})");
}
