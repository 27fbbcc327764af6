namespace Culprit.Core.Simulation;

/// <summary>
/// What one phase of a job spent: its builds and runs. The phases are the job's: <c>reproduce</c>
/// (the crashing commit, and for a fix the fixed end), <c>release</c> (the walk back over releases),
/// <c>bisect</c> (the strategy's tests), <c>verify</c> (the culprit's parent and the revert), and
/// <c>other</c> (what no stored test accounts for: a speculative build no test took, a build made
/// again after a resume, the runs of a commit found untestable).
/// </summary>
public sealed record PhaseCost(string Phase, double Builds, double Runs)
{
    public static readonly IReadOnlyList<string> Phases = ["reproduce", "release", "bisect", "verify", "other"];

    public double Minutes(SimulationPrices prices) => Builds * prices.BuildMinutes + Runs * prices.RunMinutes;

    /// <summary>The phase a stored test's phase name belongs to.</summary>
    public static string Of(string storedPhase) => storedPhase switch
    {
        "reproduce" or "fixed" => "reproduce",
        "release" => "release",
        "bisect" => "bisect",
        _ when storedPhase.StartsWith("verify", StringComparison.Ordinal) => "verify",
        _ => "other",
    };

    /// <summary>The mean of each phase over some jobs, every phase listed.</summary>
    public static IReadOnlyList<PhaseCost> Mean(IReadOnlyList<IReadOnlyList<PhaseCost>> jobs) =>
        Phases.Select(p => new PhaseCost(p,
            jobs.Count == 0 ? 0 : jobs.Average(j => j.Where(c => c.Phase == p).Sum(c => c.Builds)),
            jobs.Count == 0 ? 0 : jobs.Average(j => j.Where(c => c.Phase == p).Sum(c => c.Runs)))).ToList();
}
