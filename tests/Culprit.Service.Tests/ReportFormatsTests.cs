using System.Text;
using System.Text.Json;
using Culprit.Cli.Demo;

namespace Culprit.Service.Tests;

/// <summary>
/// Every report format of a finished job, from the API (<c>GET /api/jobs/{id}/report?format=F</c>) and from
/// <c>culprit report --server</c>, says what the local report says: the culprit, in the format's own shape.
/// </summary>
public sealed class ReportFormatsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Each_format_comes_through_the_api_and_report_server()
    {
        var demo = await DemoRepository.CreateAsync(Path.Combine(server.Dir, "demo-formats"), flaky: false, withFix: false);
        var submit = await ServeProcess.InvokeAsync("submit", "--server", server.Url, "--repo", demo.Path, "--bad", "HEAD",
            "--build", "make", "--test", "./test.sh", "--runs", "1", "--strategy", "classic", "--follow");
        Assert.True(submit.Exit == 0, submit.Output + submit.Error);
        var id = submit.Output.Split('\n')[0]["job: ".Length..].Trim();

        foreach (var (format, contentType) in new[]
                 {
                     ("text", "text/plain; charset=utf-8"), ("json", "application/json; charset=utf-8"),
                     ("email", "message/rfc822"), ("html", "text/html; charset=utf-8"),
                 })
        {
            var response = await server.Http.GetAsync($"{server.Url}/api/jobs/{id}/report?format={format}");
            Assert.True(response.IsSuccessStatusCode, $"{format}: {(int)response.StatusCode}");
            Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
            AssertNamesTheCulprit(format, await response.Content.ReadAsStringAsync(), demo.Bug);

            var cli = await ServeProcess.InvokeAsync("report", "--server", server.Url, id, "--format", format);
            Assert.True(cli.Exit == 0, $"{format}: {cli.Output}{cli.Error}");
            AssertNamesTheCulprit(format, cli.Output, demo.Bug);
        }
    }

    private static void AssertNamesTheCulprit(string format, string body, string culprit)
    {
        switch (format)
        {
            case "text":
                Assert.Equal($"{culprit} is the first bad commit", body.Split('\n')[0]);
                break;
            case "json":
                using (var doc = JsonDocument.Parse(body))
                {
                    Assert.Equal(culprit, doc.RootElement.GetProperty("culprit").GetProperty("commit").GetString());
                }
                break;
            case "email":
                var mail = MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(body)));
                Assert.StartsWith("[bisected", mail.Subject, StringComparison.Ordinal);
                Assert.Contains($"commit {culprit}", mail.TextBody!.Split('\n'));
                break;
            default:
                Assert.StartsWith("<!DOCTYPE html>", body.TrimStart(), StringComparison.OrdinalIgnoreCase);
                Assert.Contains(culprit, body);
                break;
        }
    }
}
