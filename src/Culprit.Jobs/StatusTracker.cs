using System.Diagnostics;
using Culprit.Core.Domain;

namespace Culprit.Jobs;

/// <summary>Keeps what the live display shows (commit under test, runs so far, time left) and sends it to the listener.</summary>
internal sealed class StatusTracker(IJobListener listener)
{
    /// <summary>A round's workers report at the same time.</summary>
    private readonly Lock _gate = new();
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly List<string> _runs = [];
    private string? _commit;
    private string _activity = "starting";
    private int _runsTotal;
    private int? _left;
    private int? _steps;
    private int _commitsDone;
    private TimeSpan _testingTime;
    private readonly Stopwatch _current = new();

    public void Range(int revisionsLeft, int steps)
    {
        lock (_gate)
        {
            _left = revisionsLeft;
            _steps = steps;
            Publish();
        }
    }

    public void Testing(string commit, string activity, int runs)
    {
        lock (_gate)
        {
            if (_commit != commit)
            {
                _runs.Clear();
                _current.Restart();
            }
            _commit = commit;
            _activity = activity;
            _runsTotal = runs;
            Publish();
        }
    }

    public void RunDone(RunOutcome run)
    {
        lock (_gate)
        {
            lock (_runs)
            {
                _runs.Add(Reports.VisibleText.Line(run.Describe()));
            }
            Publish();
        }
    }

    public void CommitDone()
    {
        lock (_gate)
        {
            _commitsDone++;
            _testingTime += _current.Elapsed;
            _current.Reset();
        }
    }

    private void Publish()
    {
        TimeSpan? remaining = _steps is { } s && _commitsDone > 0 ? _testingTime / _commitsDone * (s + 1) - _current.Elapsed : null;
        if (remaining < TimeSpan.Zero)
        {
            remaining = TimeSpan.Zero;
        }
        List<string> runs;
        lock (_runs)
        {
            runs = [.. _runs];
        }
        listener.OnStatus(new JobStatus(_commit, _activity, _left, _steps, runs.Count, _runsTotal, runs, _elapsed.Elapsed, remaining));
    }
}
