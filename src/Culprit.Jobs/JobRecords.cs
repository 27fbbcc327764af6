using System.Text.Json;
using Culprit.Store;

namespace Culprit.Jobs;

/// <summary>
/// Where a job keeps its outcomes and log lines: the job store for a real job
/// (<see cref="StoredJobRecords"/>), memory for a simulated one (<see cref="MemoryJobRecords"/>:
/// a simulation runs thousands of jobs and keeps none of them).
/// </summary>
internal interface IJobRecords
{
    /// <summary>The outcomes stored so far, in order.</summary>
    IReadOnlyList<StoredEntry> Outcomes();

    /// <summary>Appends an outcome; <paramref name="sequence"/> is the next number (0-based).</summary>
    void AppendOutcome(int sequence, StoredEntry entry);

    IReadOnlyList<StoredLogLine> Log();

    /// <summary>Appends a log line tagged with the number of outcomes stored when it was written.</summary>
    void AppendLog(int outcomes, string text);

    /// <summary>Drops log lines tagged after <paramref name="outcomes"/> (a test that did not finish).</summary>
    void TrimLogAfter(int outcomes);
}

/// <summary>A job's records in the job store, as JSON.</summary>
internal sealed class StoredJobRecords(JobStore store, string jobId) : IJobRecords
{
    public IReadOnlyList<StoredEntry> Outcomes() =>
        store.Outcomes(jobId).Select(o => StoredJson.Read<StoredEntry>(o.Json, jobId, $"outcome #{o.Sequence}")).ToList();

    public void AppendOutcome(int sequence, StoredEntry entry) =>
        store.AppendOutcome(jobId, sequence, JsonSerializer.Serialize(entry, JsonDefaults.Options));

    public IReadOnlyList<StoredLogLine> Log() => store.Log(jobId);

    public void AppendLog(int outcomes, string text) => store.AppendLog(jobId, outcomes, text);

    public void TrimLogAfter(int outcomes) => store.TrimLogAfter(jobId, outcomes);
}

/// <summary>A job's records in memory (a simulated job); a resume of the job reads them back as a stored job's.</summary>
internal sealed class MemoryJobRecords : IJobRecords
{
    private readonly List<StoredEntry> _outcomes = [];
    private readonly List<StoredLogLine> _log = [];

    public IReadOnlyList<StoredEntry> Outcomes() => [.. _outcomes];

    public void AppendOutcome(int sequence, StoredEntry entry)
    {
        if (sequence != _outcomes.Count)
        {
            throw new InvalidOperationException($"outcome #{sequence} appended after {_outcomes.Count} outcomes");
        }
        _outcomes.Add(entry);
    }

    public IReadOnlyList<StoredLogLine> Log() => [.. _log];

    public void AppendLog(int outcomes, string text) => _log.Add(new StoredLogLine(outcomes, text));

    public void TrimLogAfter(int outcomes) => _log.RemoveAll(l => l.Outcomes > outcomes);
}
