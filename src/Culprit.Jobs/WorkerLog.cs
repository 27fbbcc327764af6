using Culprit.Core.Domain;

namespace Culprit.Jobs;

/// <summary>
/// One worker's log. Alone, its lines go straight to the job's log. In a round of tests at once it
/// holds its test's lines until the outcome is stored, then writes them, stores the outcome and
/// records it, all under the round's lock: the log reads test by test in the order they finished,
/// each line tagged with the outcomes stored before it, as a resume expects. Behind a gate (the
/// speculation the job decides while the test starts, <see cref="Gate"/>) its lines wait in order,
/// and its outcome is stored and recorded only once the gate is open.
/// </summary>
internal sealed class WorkerLog(JobLog log, object roundLock) : ITestLog
{
    private readonly List<string> _held = [];
    private Action<CommitOutcome>? _recorded;
    private bool _holding;

    /// <summary>The gate the lines wait behind; cleared (under the round's lock) by whoever first writes them after it opened.</summary>
    private Task? _gate;

    /// <summary>Holds the lines of the round's test this worker starts; <paramref name="recorded"/> runs once its outcome is stored.</summary>
    public void Hold(Action<CommitOutcome> recorded)
    {
        lock (roundLock)
        {
            _recorded = recorded;
            _holding = true;
        }
    }

    /// <summary>
    /// Keeps this worker's lines, and its outcome, behind <paramref name="gate"/>: what the job logs and
    /// decides about the strategy while the test starts comes first in the log and in the strategy.
    /// </summary>
    public void Gate(Task gate)
    {
        lock (roundLock)
        {
            _gate = gate;
        }
        gate.ContinueWith(_ => Opened(gate), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void Line(string text)
    {
        lock (roundLock)
        {
            if (_holding || _gate is not null)
            {
                _held.Add(text);
            }
            else
            {
                log.Line(text);
            }
        }
    }

    public void Stored(CommitOutcome outcome, Action store)
    {
        WaitForGate();
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
        WaitForGate();
        lock (roundLock)
        {
            WriteHeld();
        }
    }

    private void WaitForGate()
    {
        Task? gate;
        lock (roundLock)
        {
            gate = _gate;
        }
        // The job awaits the gate itself and reports its failure; here it only has to be over.
        ((IAsyncResult?)gate)?.AsyncWaitHandle.WaitOne();
    }

    private void Opened(Task gate)
    {
        lock (roundLock)
        {
            if (_gate != gate)
            {
                return;
            }
            _gate = null;
            if (!_holding)
            {
                WriteHeld();
            }
        }
    }

    private void WriteHeld()
    {
        _recorded = null;
        _holding = false;
        _gate = null;
        foreach (var line in _held)
        {
            log.Line(line);
        }
        _held.Clear();
    }
}
