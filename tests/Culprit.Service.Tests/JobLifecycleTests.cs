using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Culprit.Cli.Demo;

namespace Culprit.Service.Tests;

/// <summary>A job's life on the server: cancelled while it runs, its log streamed live, its repository fetched from a URL, its pages.</summary>
public sealed class JobLifecycleTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<string> StateAsync(string id)
    {
        var list = JsonDocument.Parse(await server.Http.GetStringAsync($"{server.Url}/api/jobs")).RootElement;
        return list.EnumerateArray().Single(j => j.GetProperty("id").GetString() == id).GetProperty("state").GetString()!;
    }

    private async Task<string> LogAsync(string id) => await server.Http.GetStringAsync($"{server.Url}/api/jobs/{id}/log");

    [Fact]
    public async Task Cancel_stops_a_running_job_kills_its_test_and_ends_its_live_log()
    {
        var demo = await DemoRepository.CreateAsync(Path.Combine(server.Dir, "demo-cancel"), flaky: false, withFix: false);
        var sleep = ProcessList.UniqueSleep();
        var submit = await ServeProcess.InvokeAsync("submit", "--server", server.Url, "--repo", demo.Path, "--bad", "HEAD", "--good", "v1.2",
            "--build", "true", "--test", $"sleep {sleep}; true", "--runs", "1", "--strategy", "classic");
        Assert.True(submit.Exit == 0, submit.Error);
        var id = submit.Output.Trim()["job: ".Length..];
        await Polling.UntilAsync(() => Task.FromResult(ProcessList.Running("sleep", sleep).Count > 0), TimeSpan.FromSeconds(90),
            () => "timed out waiting for the test to run", TimeSpan.FromMilliseconds(200));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{server.Url}/api/jobs/{id}/log");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var stream = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        var events = stream.Content.ReadAsStringAsync();
        Assert.False(events.IsCompleted);

        var cancel = await ServeProcess.InvokeAsync("cancel", "--server", server.Url, id);

        Assert.True(cancel.Exit == 0, cancel.Error);
        Assert.Equal($"job {id}: stopping", cancel.Output.Trim());
        var text = await events.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.EndsWith("event: end\ndata: stopped\n\n", text);
        Assert.Contains($"data: testing commit {demo.Head}", text);
        Assert.Equal("stopped", await StateAsync(id));
        Assert.Contains($"stopped by a cancel request; resume with: culprit resume {id}", await LogAsync(id));
        Assert.Empty(ProcessList.Running("sleep", sleep));
        var again = await server.Http.DeleteAsync($"{server.Url}/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_repository_url_is_fetched_into_the_nodes_cache_and_bisected_there()
    {
        var demo = await DemoRepository.CreateAsync(Path.Combine(server.Dir, "demo-url"), flaky: false, withFix: false);

        var submit = await ServeProcess.InvokeAsync("submit", "--server", server.Url, "--repo", $"file://{demo.Path}", "--bad", "HEAD", "--good", "v1.2",
            "--build", "make", "--test", "./test.sh", "--runs", "1", "--strategy", "classic", "--follow");

        Assert.True(submit.Exit == 0, submit.Output + submit.Error);
        Assert.Contains($"first bad commit: {demo.Bug}", submit.Output);
        var list = await server.Http.GetStringAsync($"{server.Url}/api/jobs");
        Assert.Contains(Path.Combine(server.Dir, "work", "repos") + "/", list);
    }

    [Fact]
    public async Task A_repository_that_is_neither_an_absolute_path_nor_a_plain_url_is_refused()
    {
        var marker = Path.Combine(server.Dir, "ext-ran");
        var body = JsonSerializer.Serialize(new { spec = new { repo = $"ext::sh -c touch% {marker}", bad = "HEAD", build = "true", test = "true" } });

        var response = await server.Http.PostAsync($"{server.Url}/api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("--repo must be an absolute path on the server or a URL", await response.Content.ReadAsStringAsync());
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task The_dashboard_pages_show_the_job_its_culprit_timeline_and_the_node()
    {
        var demo = await DemoRepository.CreateAsync(Path.Combine(server.Dir, "demo-pages"), flaky: false, withFix: false);
        var submit = await ServeProcess.InvokeAsync("submit", "--server", server.Url, "--repo", demo.Path, "--bad", "HEAD", "--good", "v1.2",
            "--build", "make", "--test", "./test.sh", "--runs", "1", "--strategy", "classic", "--follow");
        Assert.True(submit.Exit == 0, submit.Output + submit.Error);
        var id = submit.Output.Split('\n')[0]["job: ".Length..].Trim();

        var list = await server.Http.GetStringAsync(server.Url + "/");
        Assert.Contains("<table id=\"jobs\">", list);
        Assert.Contains($"<tr class=\"job\" data-job=\"{id}\">", list);
        var page = await server.Http.GetStringAsync($"{server.Url}/jobs/{id}");
        Assert.Contains($"<p id=\"culprit\">{demo.Bug} {DemoRepository.BugSubject}</p>", page);
        Assert.Contains("<svg id=\"timeline\"", page);
        Assert.Contains($"href=\"/api/jobs/{id}/report?format=html\"", page);
        Assert.Contains("id=\"submit-form\"", await server.Http.GetStringAsync(server.Url + "/submit"));
        var cluster = await server.Http.GetStringAsync(server.Url + "/cluster");
        Assert.Contains("data-status=\"active\"", cluster);
        // Nothing comes from the network: styles and scripts are inline.
        Assert.DoesNotContain("<script src", page);
        Assert.DoesNotContain("<link", page);
    }
}
