using System.Net;
using System.Text;
using System.Text.Json;

namespace Culprit.Service.Tests;

/// <summary>Bad input to the API is answered with RFC 7807 problem details carrying the CLI's one-line message.</summary>
public sealed class ProblemDetailsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<(HttpStatusCode Status, string Type, JsonElement Problem)> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, server.Url + path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, contentType);
        }
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task A_job_without_a_build_command_is_refused_by_the_one_validation()
    {
        var (status, type, problem) = await SendAsync(HttpMethod.Post, "/api/jobs", """{"spec":{"repo":"/tmp","bad":"HEAD","test":"true"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal("--build is required (or --kernel)", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Out_of_range_runs_are_refused_with_the_cli_message()
    {
        var (status, _, problem) = await SendAsync(HttpMethod.Post, "/api/jobs", """{"spec":{"repo":"/tmp","bad":"HEAD","build":"true","test":"true","runs":0}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("--runs must be between 1 and 1000 (got 0)", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_repository_that_does_not_exist_is_a_bad_job()
    {
        var missing = Path.Combine(server.Dir, "no-such-repo");
        var (status, _, problem) = await SendAsync(HttpMethod.Post, "/api/jobs", $$$"""{"spec":{"repo":"{{{missing}}}","bad":"HEAD","build":"true","test":"true"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"repository not found: {missing}", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_kernel_job_without_its_config_content_is_refused()
    {
        var (status, _, problem) = await SendAsync(HttpMethod.Post, "/api/jobs",
            """{"spec":{"repo":"/tmp","bad":"HEAD","kernel":{"config":".config","repro":"repro.c"}},"files":{"repro":"aW50IG1haW4oKXt9"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("--config file content is missing from the request (files.config)", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_kernel_file_over_the_size_limit_is_refused_by_the_server_too()
    {
        var big = Convert.ToBase64String(new byte[Submissions.JobSubmission.MaxFileBytes + 3]);
        var (status, _, problem) = await SendAsync(HttpMethod.Post, "/api/jobs",
            $$$"""{"spec":{"repo":"/tmp","bad":"HEAD","kernel":{"config":"/home/u/syz.config","repro":"repro.c"}},"files":{"config":"{{{big}}}","repro":"aW50IG1haW4oKXt9"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"--config file syz.config is {Submissions.JobSubmission.MaxFileBytes + 3} bytes; a submitted file may have at most {Submissions.JobSubmission.MaxFileBytes} bytes (4 MiB)",
            problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_bad_request()
    {
        var (status, type, _) = await SendAsync(HttpMethod.Post, "/api/jobs", "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
    }

    [Fact]
    public async Task A_form_post_is_refused_so_other_sites_cannot_submit_jobs_through_a_browser()
    {
        var (status, _, _) = await SendAsync(HttpMethod.Post, "/api/jobs", """{"spec":{"repo":"/tmp","bad":"HEAD","build":"true","test":"true"}}""", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }

    [Fact]
    public async Task Unknown_jobs_are_not_found()
    {
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/jobs/deadbeef"), (HttpMethod.Get, "/api/jobs/deadbeef/log"), (HttpMethod.Delete, "/api/jobs/deadbeef"), (HttpMethod.Get, "/api/jobs/deadbeef/report") })
        {
            var (status, type, problem) = await SendAsync(method, path);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("application/problem+json", type);
            Assert.Equal("no job deadbeef", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task The_cli_prints_the_servers_problem_as_its_one_line_error()
    {
        var run = await ServeProcess.InvokeAsync("show", "--server", server.Url, "deadbeef");

        Assert.Equal(1, run.Exit);
        Assert.Equal($"culprit: server {server.Url}: no job deadbeef", run.Error.Trim());
    }

    [Fact]
    public async Task A_request_for_another_host_name_is_refused_without_a_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url + "/api/jobs");
        request.Headers.Host = "attacker.example";
        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
