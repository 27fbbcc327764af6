using Culprit.Store;

namespace Culprit.Jobs;

/// <summary>
/// The job's log: each line goes to the listener and to the store, tagged with how many outcomes
/// the job had when it was written. A resumed job first prints the stored lines, then replays its
/// outcomes: lines produced before it is past the stored ones are already there and are dropped.
/// </summary>
internal sealed class JobLog : ITestLog
{
    private readonly IJobRecords _records;
    private readonly IJobListener _listener;
    private readonly Func<int> _position;
    private readonly int _replayUntil;

    public JobLog(JobStore store, string jobId, IJobListener listener, Func<int> position, int storedOutcomes)
        : this(new StoredJobRecords(store, jobId), listener, position, storedOutcomes)
    {
    }

    public JobLog(IJobRecords records, IJobListener listener, Func<int> position, int storedOutcomes)
    {
        _records = records;
        _listener = listener;
        _position = position;
        _replayUntil = storedOutcomes;
        if (storedOutcomes > 0 || records.Log().Count > 0)
        {
            // Lines written after the last stored outcome belong to a test that did not finish.
            records.TrimLogAfter(storedOutcomes - 1);
            foreach (var line in records.Log())
            {
                listener.OnLine(line.Text);
            }
        }
    }

    public void Line(string text)
    {
        var position = _position();
        if (position < _replayUntil)
        {
            return;
        }
        // Titles, subjects and test output reach the log: their control characters are shown escaped.
        foreach (var line in text.Split('\n').Select(Reports.VisibleText.Block))
        {
            _listener.OnLine(line);
            _records.AppendLog(position, line);
        }
    }
}
