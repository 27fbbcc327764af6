using System.Text.Json;
using Culprit.Jobs;
using Culprit.Jobs.Reports;
using Culprit.Service.Nodes;
using Culprit.Store;

namespace Culprit.Service.Http;

/// <summary>Stored jobs as the API and pages show them, in the CLI's shapes (<c>culprit jobs --json</c>, <c>culprit show --json</c>).</summary>
public static class JobViews
{
    public static IReadOnlyList<JobListItem> List(JobStores stores)
    {
        using var store = stores.Open();
        return [.. store.ListJobs().Select(JobListItem.From)];
    }

    public static JobRecord? Find(JobStores stores, string id)
    {
        using var store = stores.Open();
        return store.FindJob(id);
    }

    /// <summary>The result object <c>--json</c> writes, or, without one yet, the job's id and state.</summary>
    public static string ResultJson(JobRecord job) => job.ResultJson is { } stored
        ? JsonSerializer.Serialize(JsonSerializer.Deserialize<JobResult>(stored, JsonDefaults.Options), JsonDefaults.Indented)
        : JsonSerializer.Serialize(new { job = job.Id, state = job.State, result = (string?)null }, JsonDefaults.Indented);
}
