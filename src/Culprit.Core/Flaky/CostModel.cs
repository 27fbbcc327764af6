using Culprit.Core.Domain;

namespace Culprit.Core.Flaky;

/// <summary>
/// What a build and a run cost, in machine-seconds, from the timings of the outcomes seen so far;
/// before any measurement a kernel-sized guess (a build is worth a few runs). A run is priced at its
/// own duration (the VM it held), not the wall time of a test whose runs went on several VMs at
/// once: ten runs in parallel cost ten runs. Outcomes taken from another commit cost no runs.
/// </summary>
internal sealed class CostModel
{
    public const double DefaultBuildSeconds = 900;
    public const double DefaultRunSeconds = 240;

    private double _buildSum;
    private int _builds;
    private double _runSum;
    private int _runs;

    public void Add(CommitOutcome outcome)
    {
        if (outcome.BuildSeconds > 0)
        {
            _buildSum += outcome.BuildSeconds;
            _builds++;
        }
        if (outcome.ReusedFrom is not null || outcome.Runs.Count == 0)
        {
            return;
        }
        var timed = outcome.Runs.Where(r => r.Seconds > 0).ToList();
        if (timed.Count > 0)
        {
            _runSum += timed.Sum(r => r.Seconds);
            _runs += timed.Count;
        }
        else if (outcome.TestSeconds > 0)
        {
            // Runs without their own timings: the test's time is all there is.
            _runSum += outcome.TestSeconds;
            _runs += outcome.Runs.Count;
        }
    }

    public double BuildSeconds => _builds == 0 ? DefaultBuildSeconds : _buildSum / _builds;

    public double RunSeconds => _runs == 0 ? DefaultRunSeconds : Math.Max(_runSum / _runs, 1e-3);
}
