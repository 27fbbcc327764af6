using System.Text.Json;
using Culprit.Cli.Demo;

namespace Culprit.Service.Tests;

/// <summary>The single-node default: <c>culprit serve</c> + <c>culprit submit</c> + <c>culprit show --server</c> on the demo repository.</summary>
public sealed class RoundTripTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Submit_follow_and_show_find_the_demo_culprit_through_the_server()
    {
        var demo = await DemoRepository.CreateAsync(Path.Combine(server.Dir, "demo"), flaky: false, withFix: false);

        var submit = await ServeProcess.InvokeAsync("submit", "--server", server.Url, "--repo", demo.Path, "--bad", "HEAD",
            "--build", "make", "--test", "./test.sh", "--runs", "1", "--strategy", "classic", "--follow");

        Assert.True(submit.Exit == 0, submit.Output + submit.Error);
        Assert.Contains($"first bad commit: {demo.Bug} {DemoRepository.BugSubject}", submit.Output);
        var id = submit.Output.Split('\n')[0]["job: ".Length..].Trim();

        var show = await ServeProcess.InvokeAsync("show", "--server", server.Url, "--json", id);
        Assert.Equal(0, show.Exit);
        using var result = JsonDocument.Parse(show.Output);
        Assert.Equal("found", result.RootElement.GetProperty("result").GetString());
        Assert.Equal(demo.Bug, result.RootElement.GetProperty("culprit").GetProperty("commit").GetString());

        var jobs = await ServeProcess.InvokeAsync("jobs", "--server", server.Url);
        Assert.Contains($"{id}  ", jobs.Output);
        Assert.Contains("finished", jobs.Output);

        var report = await server.Http.GetAsync($"{server.Url}/api/jobs/{id}/report?format=html");
        Assert.Equal("text/html; charset=utf-8", report.Content.Headers.ContentType?.ToString());
        Assert.Contains(demo.Bug, await report.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Submit_without_follow_prints_the_job_and_the_server_lists_it()
    {
        var demo = await DemoRepository.CreateAsync(Path.Combine(server.Dir, "demo2"), flaky: false, withFix: false);

        var submit = await ServeProcess.InvokeAsync("submit", "--server", server.Url, "--repo", demo.Path, "--bad", "HEAD", "--good", "v1.2",
            "--build", "make", "--test", "./test.sh", "--runs", "1", "--strategy", "classic");

        Assert.True(submit.Exit == 0, submit.Output + submit.Error);
        var id = submit.Output.Trim()["job: ".Length..];
        var list = await server.Http.GetStringAsync($"{server.Url}/api/jobs");
        Assert.Contains($"\"id\": \"{id}\"", list);
    }
}
