using System.Text.Json;
using Culprit.Jobs;
using Culprit.Jobs.Reports;
using Culprit.Service.Grains;
using Culprit.Service.Nodes;
using Culprit.Service.Submissions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Culprit.Service.Http;

/// <summary>The REST API: jobs (submit, list, result, log, report, cancel) and the cluster's nodes.</summary>
public static class ApiEndpoints
{
    public const string Json = "application/json; charset=utf-8";

    public static readonly IReadOnlyDictionary<string, (Func<ReportedJob, string> Render, string ContentType)> ReportFormats =
        new Dictionary<string, (Func<ReportedJob, string>, string)>(StringComparer.Ordinal)
        {
            ["text"] = (TextReport.Render, "text/plain; charset=utf-8"),
            ["json"] = (JsonReport.Render, Json),
            ["email"] = (EmailReport.Render, "message/rfc822"),
            ["html"] = (HtmlReport.Render, "text/html; charset=utf-8"),
        };

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapPost("/jobs", SubmitAsync);
        api.MapGet("/jobs", (JobStores stores) => Results.Text(JobListing.RenderJson(JobViews.List(stores)), Json));
        api.MapGet("/jobs/{id}", (string id, JobStores stores) =>
            JobViews.Find(stores, id) is { } job ? Results.Text(JobViews.ResultJson(job), Json) : ApiErrors.NotFound(id));
        api.MapGet("/jobs/{id}/log", LogAsync);
        api.MapGet("/jobs/{id}/report", (string id, string? format, JobStores stores) => Report(id, format ?? "text", stores));
        api.MapDelete("/jobs/{id}", CancelAsync);
        api.MapGet("/cluster", async (IGrainFactory grains) => Results.Text(JsonSerializer.Serialize(await ClusterView.LoadAsync(grains), JsonDefaults.Indented), Json));
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, JobSubmitter submitter, CancellationToken ct)
    {
        // JSON only: a browser sends that cross-site only after a CORS preflight, which this server never grants.
        if (!request.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "send the job as application/json");
        }
        JobSubmission? submission;
        try
        {
            submission = await JsonSerializer.DeserializeAsync<JobSubmission>(request.Body, JsonDefaults.Options, ct);
        }
        catch (JsonException ex)
        {
            return ApiErrors.BadRequest($"the request is not a job: {ex.Message}");
        }
        if (submission?.Spec is null)
        {
            return ApiErrors.BadRequest("the request is not a job: it has no spec");
        }
        try
        {
            var id = await submitter.SubmitAsync(submission, ct);
            return Results.Created($"/api/jobs/{id}", new Dictionary<string, string> { ["job"] = id, ["state"] = JobStates.Running });
        }
        catch (Exception ex) when (UserErrors.Is(ex) || ex is UsageException)
        {
            return ApiErrors.Of(ex);
        }
    }

    private static IResult Report(string id, string format, JobStores stores)
    {
        if (!ReportFormats.TryGetValue(format, out var renderer))
        {
            return ApiErrors.BadRequest($"unknown report format {format} (known: {string.Join(", ", ReportFormats.Keys)})");
        }
        using var store = stores.Open();
        if (store.FindJob(id) is null)
        {
            return ApiErrors.NotFound(id);
        }
        var job = ReportedJob.Load(store, id);
        if (job.Result is null)
        {
            return ApiErrors.Conflict($"job {id} is {job.State} and has no result yet");
        }
        return Results.Text(renderer.Render(job), renderer.ContentType);
    }

    private static async Task LogAsync(string id, HttpContext context, JobStores stores)
    {
        using var store = stores.Open();
        if (store.FindJob(id) is null)
        {
            await ApiErrors.NotFound(id).ExecuteAsync(context);
            return;
        }
        if (context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal))
        {
            await LogStream.WriteAsync(context, store, id);
            return;
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        foreach (var line in store.Log(id))
        {
            await context.Response.WriteAsync(VisibleText.Block(line.Text) + "\n", context.RequestAborted);
        }
    }

    private static async Task<IResult> CancelAsync(string id, JobStores stores, IGrainFactory grains)
    {
        string state;
        using (var store = stores.Open())
        {
            if (store.FindJob(id) is not { } job)
            {
                return ApiErrors.NotFound(id);
            }
            state = job.State;
            if (!JobStates.IsActive(state))
            {
                return ApiErrors.Conflict($"job {id} is {state}: there is nothing to cancel");
            }
            if (!await grains.GetGrain<IJobGrain>(id).CancelAsync())
            {
                // No grain runs it (its node died and no reminder has woken it yet): stopped it is.
                store.SetState(id, JobStates.Stopped, job.ResultJson, DateTimeOffset.UtcNow);
                state = JobStates.Stopped;
            }
            else
            {
                state = "stopping";
            }
        }
        return Results.Accepted($"/api/jobs/{id}", new Dictionary<string, string> { ["job"] = id, ["state"] = state });
    }
}
