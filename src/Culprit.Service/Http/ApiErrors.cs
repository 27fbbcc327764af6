using Culprit.Git;
using Culprit.Jobs;
using Culprit.Store;
using Microsoft.AspNetCore.Http;

namespace Culprit.Service.Http;

/// <summary>The API's errors as RFC 7807 problem details: the one-line message the CLI would print, and a status.</summary>
public static class ApiErrors
{
    public static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such job", detail: $"no job {id}");

    public static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>A user error (bad options, unknown revision, missing repository) as 400; the rest as what they are.</summary>
    public static IResult Of(Exception ex) => ex switch
    {
        UsageException or JobException or GitException =>
            Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad job", detail: OneLine(ex.Message)),
        StoreException =>
            Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Store unavailable", detail: OneLine(ex.Message)),
        _ when UserErrors.Is(ex) =>
            Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Cannot run the job", detail: OneLine(ex.Message)),
        _ => throw ex,
    };

    private static string OneLine(string message) => Jobs.Reports.VisibleText.Line(message.Trim());
}
