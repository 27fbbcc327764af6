using System.Net;
using System.Net.Http.Headers;

namespace Culprit.Service.Tests;

/// <summary>An open port runs anyone's commands: loopback only without a token, the token on every request with one.</summary>
public sealed class AccessTests
{
    [Fact]
    public async Task Listening_beyond_loopback_without_a_token_refuses_to_start()
    {
        using var temp = new TempDir();

        var run = await ServeProcess.InvokeAsync("serve", "--urls", "http://0.0.0.0:1", "--work", temp.Sub("work"));

        Assert.Equal(2, run.Exit);
        Assert.StartsWith("culprit: refusing to listen on http://0.0.0.0:1 without --token-file", run.Error);
        Assert.False(Directory.Exists(temp.Sub("work")));
    }

    [Fact]
    public async Task With_a_token_every_api_and_page_request_needs_it()
    {
        using var temp = new TempDir();
        var tokenFile = temp.Sub("token");
        await File.WriteAllTextAsync(tokenFile, "s3cret-token\n");
        await using var serve = await ServeProcess.StartAsync(temp.Sub("work"), "--token-file", tokenFile);
        using var http = new HttpClient();

        foreach (var path in new[] { "/api/jobs", "/api/cluster", "/", "/cluster", "/submit" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(serve.Url + path)).StatusCode);
        }
        using var wrong = new HttpRequestMessage(HttpMethod.Get, serve.Url + "/api/jobs");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-tokeN");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, serve.Url + "/api/jobs");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(right)).StatusCode);

        var refused = await ServeProcess.InvokeAsync("jobs", "--server", serve.Url);
        Assert.Equal(1, refused.Exit);
        var allowed = await ServeProcess.InvokeAsync("jobs", "--server", serve.Url, "--token-file", tokenFile);
        Assert.True(allowed.Exit == 0, allowed.Error);
    }

    [Fact]
    public async Task The_login_form_turns_the_token_into_a_cookie_the_pages_accept()
    {
        using var temp = new TempDir();
        var tokenFile = temp.Sub("token");
        await File.WriteAllTextAsync(tokenFile, "s3cret-token");
        await using var serve = await ServeProcess.StartAsync(temp.Sub("work"), "--token-file", tokenFile);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true });

        var bad = await http.PostAsync(serve.Url + "/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "nope", ["next"] = "/cluster" }));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        var good = await http.PostAsync(serve.Url + "/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "s3cret-token", ["next"] = "/cluster" }));
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal("/cluster", good.Headers.Location?.ToString());
        Assert.Contains("SameSite=Strict", string.Join(';', good.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(serve.Url + "/cluster")).StatusCode);
    }
}
