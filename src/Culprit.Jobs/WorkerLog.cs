using Culprit.Core.Domain;

namespace Culprit.Jobs;

/// <summary>
/// One worker's log. Alone, its lines go straight to the job's log. In a round of tests at once it
/// holds its test's lines until the outcome is stored, then writes them, stores the outcome and
/// records it, all under the round's lock: the log reads test by test in the order they finished,
/// each line tagged with the outcomes stored before it, as a resume expects.
/// </summary>
internal sealed class WorkerLog(JobLog log, object roundLock) : ITestLog
{
    private readonly List<string> _held = [];
    private Action<CommitOutcome>? _recorded;

    /// <summary>Holds the lines of the round's test this worker starts; <paramref name="recorded"/> runs once its outcome is stored.</summary>
    public void Hold(Action<CommitOutcome> recorded)
    {
        lock (roundLock)
        {
            _recorded = recorded;
        }
    }

    public void Line(string text)
    {
        lock (roundLock)
        {
            if (_recorded is null)
            {
                log.Line(text);
            }
            else
            {
                _held.Add(text);
            }
        }
    }

    public void Stored(CommitOutcome outcome, Action store)
    {
        lock (roundLock)
        {
            var recorded = _recorded;
            WriteHeld();
            store();
            recorded?.Invoke(outcome);
        }
    }

    /// <summary>Stops holding; lines of a test that stored nothing (stopped, untestable) are written as they are.</summary>
    public void Release()
    {
        lock (roundLock)
        {
            WriteHeld();
        }
    }

    private void WriteHeld()
    {
        _recorded = null;
        foreach (var line in _held)
        {
            log.Line(line);
        }
        _held.Clear();
    }
}
