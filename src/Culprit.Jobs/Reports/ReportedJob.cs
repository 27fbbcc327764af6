using System.Text.Json;
using Culprit.Store;

namespace Culprit.Jobs.Reports;

/// <summary>
/// A stored job as the reports see it: its inputs, state, result (null while it has none) and log.
/// Renderers take this and nothing else, so they can be tested on jobs built in memory.
/// </summary>
public sealed record ReportedJob(
    string Id,
    JobSpec Spec,
    string State,
    JobResult? Result,
    IReadOnlyList<string> Log,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The job <paramref name="id"/> of <paramref name="store"/> with its log.</summary>
    public static ReportedJob Load(JobStore store, string id) =>
        From(store.GetJob(id), [.. store.Log(id).Select(l => l.Text)]);

    public static ReportedJob From(JobRecord record, IReadOnlyList<string> log) => new(
        record.Id,
        ParseSpec(record),
        record.State,
        record.ResultJson is { } json ? Parse<JobResult>(json, record.Id, "result") : null,
        log,
        record.CreatedAt,
        record.UpdatedAt);

    /// <summary>The result, or a one-line error saying why there is none yet.</summary>
    public JobResult RequireResult() => Result
        ?? throw new JobException($"job {Id} is {State} and has no result yet: `culprit resume {Id}` finishes it");

    private static JobSpec ParseSpec(JobRecord record) => Parse<JobSpec>(record.SpecJson, record.Id, "spec");

    private static T Parse<T>(string json, string id, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonDefaults.Options)
                ?? throw new JobException($"job {id}: its stored {what} is empty");
        }
        catch (JsonException ex)
        {
            throw new JobException($"job {id}: cannot read its stored {what}: {ex.Message}");
        }
    }
}
