using System.Net;
using Culprit.Cli.Demo;
using Culprit.TestSupport.Browser;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Culprit.Service.Tests;

/// <summary>
/// The dashboard as a person uses it: Debian's headless Chromium against a real <c>culprit serve</c> child process.
/// Only the page's stable element ids are relied on, never its wording or layout.
/// </summary>
public sealed class DashboardBrowserTests
{
    // The demo's classic bisection takes seconds alone; a machine loaded by other work may take minutes.
    private static readonly TimeSpan JobDeadline = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_submit_form_runs_the_demo_and_the_job_page_shows_its_culprit_and_report()
    {
        using var temp = new TempDir("culprit-browser");
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false);
        await using var serve = await ServeProcess.StartAsync(temp.Sub("work"));
        using var chromium = HeadlessChromium.Start();

        chromium.GoTo(serve.Url + "/");
        chromium.WaitFor(By.Id("nav-submit")).Click();
        Fill(chromium.WaitFor(By.Id("repo")), demo.Path);
        Fill(chromium.WaitFor(By.Id("bad")), "HEAD");
        Fill(chromium.WaitFor(By.Id("build")), "make");
        Fill(chromium.WaitFor(By.Id("test")), "./test.sh");
        new SelectElement(chromium.WaitFor(By.Id("strategy"))).SelectByValue("classic");
        Fill(chromium.WaitFor(By.Id("runs")), "1");
        chromium.WaitFor(By.Id("submit")).Click();

        // The form sends the browser on to the new job's page.
        var id = chromium.TextOf(By.Id("job-id"));
        Assert.Matches("^[0-9a-z-]+$", id);
        Assert.EndsWith("/jobs/" + id, chromium.Driver.Url);
        var culprit = chromium.WaitFor(By.Id("culprit"), JobDeadline);
        Assert.Equal("finished", chromium.TextOf(By.Id("job-state")));
        Assert.Equal("found", chromium.TextOf(By.Id("result-kind")));
        Assert.Equal($"{demo.Bug} {DemoRepository.BugSubject}", culprit.Text);

        chromium.WaitFor(By.Id("report-html")).Click();
        chromium.WaitUntil(d => d.Url.Contains("/report?format=html", StringComparison.Ordinal));
        Assert.Contains(demo.Bug, chromium.TextOf(By.TagName("body")));

        // The job list links the job with its culprit.
        chromium.GoTo(serve.Url + "/");
        var row = chromium.WaitFor(By.CssSelector($"tr.job[data-job='{id}']"));
        Assert.Equal(demo.Bug[..12], row.FindElement(By.CssSelector("td.culprit")).Text);
        Assert.Equal("finished", row.FindElement(By.CssSelector("td.state")).Text);
    }

    [Fact]
    public async Task With_a_token_the_api_refuses_a_bare_call_and_the_pages_show_jobs_only_after_logging_in()
    {
        using var temp = new TempDir("culprit-browser");
        var tokenFile = temp.Sub("token");
        await File.WriteAllTextAsync(tokenFile, "browser-s3cret\n");
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false);
        await using var serve = await ServeProcess.StartAsync(temp.Sub("work"), "--token-file", tokenFile);
        var submit = await ServeProcess.InvokeAsync("submit", "--server", serve.Url, "--token-file", tokenFile, "--repo", demo.Path,
            "--bad", "HEAD", "--build", "make", "--test", "./test.sh", "--runs", "1", "--strategy", "classic");
        Assert.True(submit.Exit == 0, submit.Output + submit.Error);
        var id = submit.Output.Trim()["job: ".Length..];

        using (var http = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(serve.Url + "/api/jobs")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"{serve.Url}/api/jobs/{id}")).StatusCode);
        }

        using var chromium = HeadlessChromium.Start();
        chromium.GoTo(serve.Url + "/");
        var token = chromium.WaitFor(By.Id("token"));
        Assert.Empty(chromium.Driver.FindElements(By.Id("jobs")));
        Assert.DoesNotContain(id, chromium.Driver.PageSource);

        Fill(token, "wrong-token");
        chromium.WaitFor(By.Id("login-button")).Click();
        chromium.WaitFor(By.Id("login-error"));
        Assert.Empty(chromium.Driver.FindElements(By.Id("jobs")));

        Fill(chromium.WaitFor(By.Id("token")), "browser-s3cret");
        chromium.WaitFor(By.Id("login-button")).Click();
        chromium.WaitFor(By.CssSelector($"#jobs tr.job[data-job='{id}']"));
        // The cookie the form set opens the other pages too, the job's own page among them.
        chromium.GoTo($"{serve.Url}/jobs/{id}");
        Assert.Equal(id, chromium.TextOf(By.Id("job-id")));
        Assert.Equal($"{demo.Bug} {DemoRepository.BugSubject}", chromium.TextOf(By.Id("culprit"), JobDeadline));
    }

    private static void Fill(IWebElement input, string text)
    {
        input.Clear();
        input.SendKeys(text);
    }
}
