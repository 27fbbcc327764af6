using System.Text.Json;
using Culprit.Jobs;
using Culprit.Jobs.Reports;
using Culprit.Service.Grains;
using Culprit.Service.Http;
using Culprit.Service.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Culprit.Service.Dashboard;

/// <summary>The dashboard's routes: job list, job page (and its growing timeline), cluster, submit form, login.</summary>
public static class DashboardEndpoints
{
    private const string HtmlType = "text/html; charset=utf-8";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", JobListAsync);
        app.MapGet("/jobs/{id}", (string id, JobStores stores) =>
        {
            using var store = stores.Open();
            return store.FindJob(id) is null
                ? ApiErrors.NotFound(id)
                : Results.Text(Pages.Job(ReportedJob.Load(store, id), LiveTimeline.Render(store, id)), HtmlType);
        });
        app.MapGet("/jobs/{id}/timeline", (string id, JobStores stores) =>
        {
            using var store = stores.Open();
            return store.FindJob(id) is null ? ApiErrors.NotFound(id) : Results.Text(LiveTimeline.Render(store, id), "image/svg+xml");
        });
        app.MapGet("/cluster", async (IGrainFactory grains) => Results.Text(Pages.Cluster(await ClusterView.LoadAsync(grains)), HtmlType));
        app.MapGet("/submit", () => Results.Text(Pages.Submit(), HtmlType));
        app.MapGet("/login", (string? next) => Results.Text(Pages.Login(next ?? "/", failed: false), HtmlType));
        app.MapPost("/login", LoginAsync);
    }

    private static async Task<IResult> JobListAsync(JobStores stores, IGrainFactory grains)
    {
        var extra = new Dictionary<string, (double?, JobProgress?, int)>(StringComparer.Ordinal);
        IReadOnlyList<JobListItem> items;
        using (var store = stores.Open())
        {
            var records = store.ListJobs();
            items = [.. records.Select(JobListItem.From)];
            foreach (var r in records)
            {
                double? confidence = null;
                if (r.ResultJson is { } json)
                {
                    try
                    {
                        confidence = JsonSerializer.Deserialize<JobResult>(json, JsonDefaults.Options)?.Confidence;
                    }
                    catch (JsonException)
                    {
                    }
                }
                var progress = JobStates.IsActive(r.State) ? await grains.GetGrain<IJobGrain>(r.Id).ProgressAsync() : null;
                extra[r.Id] = (confidence, progress, store.Outcomes(r.Id).Count);
            }
        }
        return Results.Text(Pages.JobList(items, extra), HtmlType);
    }

    /// <summary>The login form: a right token becomes an HttpOnly, SameSite=Strict cookie, then back to the page asked for.</summary>
    private static async Task<IResult> LoginAsync(HttpRequest request, ServerToken token)
    {
        var form = await request.ReadFormAsync();
        var next = form["next"].ToString();
        // Only a path on this server: never a redirect elsewhere.
        if (!next.StartsWith('/') || next.StartsWith("//", StringComparison.Ordinal) || next.StartsWith("/\\", StringComparison.Ordinal))
        {
            next = "/";
        }
        if (!token.Matches(form["token"].ToString()))
        {
            return Results.Content(Pages.Login(next, failed: true), HtmlType, statusCode: StatusCodes.Status401Unauthorized);
        }
        request.HttpContext.Response.Cookies.Append(Access.Cookie, form["token"].ToString(), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = request.IsHttps,
            Path = "/",
        });
        return Results.Redirect(next);
    }
}
