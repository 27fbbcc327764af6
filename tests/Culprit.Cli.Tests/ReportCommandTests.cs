using System.CommandLine;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Culprit.Cli.Commands;
using Culprit.Store;

namespace Culprit.Cli.Tests;

/// <summary><c>culprit report</c> on a job that bisected a real repository.</summary>
public sealed class ReportCommandTests(ReportCommandTests.FinishedJob job) : IClassFixture<ReportCommandTests.FinishedJob>
{
    private const string Title = "KASAN: use-after-free in demo_fn";

    /// <summary>One real bisection shared by the tests: they only read it.</summary>
    public sealed class FinishedJob : IAsyncLifetime
    {
        public TempDir Temp { get; } = new("culprit-report");
        internal ScriptedRepository Repo { get; private set; } = null!;
        public string Store => Temp.Sub("s.db");
        public string Id { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Repo = await ScriptedRepository.CreateAsync(Temp.Sub("repo"), 10, culprit: 6);
            var run = await InvokeAsync("bisect", "--repo", Repo.Path, "--bad", "main", "--good", Repo.Hashes[0],
                "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "2", "--store", Store);
            Assert.Equal(0, run.ExitCode);
            using var jobs = JobStore.Open(Store);
            Id = jobs.ListJobs().Single().Id;
        }

        public Task DisposeAsync()
        {
            Temp.Dispose();
            return Task.CompletedTask;
        }
    }

    /// <summary>The commands under test with <c>bisect</c> to make jobs, run in-process.</summary>
    internal static async Task<CliHarness.Run> InvokeAsync(params string[] args)
    {
        var root = new RootCommand { BisectCommand.Create(), ReportCommand.Create(), JobsCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CliHarness.Run(exit, output.ToString(), error.ToString());
    }

    private Task<CliHarness.Run> ReportAsync(params string[] args) => InvokeAsync(["report", job.Id, "--store", job.Store, .. args]);

    [Fact]
    public async Task Text_is_the_closing_block_of_the_log()
    {
        var run = await ReportAsync("--format", "text");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n');
        Assert.Equal($"{job.Repo.Hashes[6]} is the first bad commit", lines[0]);
        Assert.Contains("Author: Dev One <dev1@example.com>", lines);
        Assert.Contains($"first bad commit: {job.Repo.Hashes[6]} change number 6", lines);
        Assert.Contains("cc: [\"dev1@example.com\" \"dev2@example.com\"]", lines);
        Assert.Contains($"crash: {Title}", lines);
        Assert.Contains(lines, l => l.StartsWith("revisions tested: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Text_is_the_default_format()
    {
        var explicitText = await ReportAsync("--format", "text");

        var byDefault = await ReportAsync();

        Assert.Equal(explicitText.Output, byDefault.Output);
    }

    [Fact]
    public async Task Json_is_the_stored_result_object()
    {
        var run = await ReportAsync("--format", "json");

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Output);
        Assert.Equal(job.Id, doc.RootElement.GetProperty("job").GetString());
        Assert.Equal(job.Repo.Hashes[6], doc.RootElement.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.Equal(Title, doc.RootElement.GetProperty("crash_title").GetString());
    }

    [Fact]
    public async Task Email_is_addressed_to_the_author_with_the_committer_copied()
    {
        var run = await ReportAsync("--format", "email");

        Assert.Equal(0, run.ExitCode);
        var mail = MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(run.Output)));
        var lines = mail.TextBody!.Split('\n');
        Assert.StartsWith("[bisected", mail.Subject, StringComparison.Ordinal);
        Assert.EndsWith($"] {Title}", mail.Subject, StringComparison.Ordinal);
        Assert.Equal(("Dev One", "dev1@example.com"), (mail.To.Mailboxes.Single().Name, mail.To.Mailboxes.Single().Address));
        Assert.Equal("dev2@example.com", mail.Cc.ToString());
        Assert.Contains($"commit {job.Repo.Hashes[6]}", lines);
        Assert.Contains("bisection log:    attached as bisection.log", lines);
    }

    [Fact]
    public async Task Html_written_to_a_file_is_one_page_with_the_summary_timeline_report_and_log()
    {
        var file = job.Temp.Sub($"report-{Guid.NewGuid():N}.html");

        var run = await ReportAsync("--format", "html", "-o", file);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"wrote {file}", run.Output.Trim());
        var page = new HtmlParser().ParseDocument(await File.ReadAllTextAsync(file));
        Assert.Equal($"Culprit job {job.Id}: first bad commit: {job.Repo.Hashes[6][..12]} change number 6", page.Title);
        var summary = page.QuerySelectorAll("table#summary tr").ToDictionary(r => r.QuerySelector("th")!.TextContent, r => r.QuerySelector("td")!.TextContent);
        Assert.Equal($"{job.Repo.Hashes[6]} change number 6", summary["Culprit"]);
        Assert.Equal(Title, summary["Crash"]);

        using var jobs = JobStore.Open(job.Store);
        var result = JsonDocument.Parse(jobs.GetJob(job.Id).ResultJson!).RootElement;
        var tested = result.GetProperty("tested").EnumerateArray().Select(t => t.GetProperty("commit").GetString()).ToList();
        var rows = page.QuerySelectorAll("svg#timeline g.tested-commit").Select(g => g.GetAttribute("data-commit")).ToList();
        Assert.Equal(tested, rows);
        Assert.Contains($"TITLE: {Title}", page.QuerySelector("pre#report")!.TextContent);
        Assert.Equal(string.Join('\n', jobs.Log(job.Id).Select(l => l.Text)).TrimEnd(), page.QuerySelector("pre#bisection-log")!.TextContent);
        Assert.Empty(page.QuerySelectorAll("script, link, img, iframe"));
        Assert.DoesNotContain(page.All.SelectMany(e => e.Attributes), a => a.LocalName is "src" or "href");
    }

    [Fact]
    public async Task An_unknown_format_is_refused()
    {
        var run = await ReportAsync("--format", "pdf");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("pdf", run.Error);
    }

    [Fact]
    public async Task An_unknown_job_is_named_in_a_one_line_error()
    {
        var run = await InvokeAsync("report", "deadbeef", "--store", job.Store);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"culprit: no job deadbeef in store {job.Store}", run.Error.Trim());
    }

    [Fact]
    public async Task A_job_that_has_not_finished_has_no_report_yet()
    {
        using var temp = new TempDir();
        var store = temp.Sub("s.db");
        string id;
        using (var jobs = JobStore.Open(store))
        {
            id = jobs.CreateJob("""{"repo":"/src/x","bad":"0000000000000000000000000000000000000001"}""", DateTimeOffset.UtcNow);
        }

        var run = await InvokeAsync("report", id, "--format", "html", "--store", store);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"culprit: job {id} is running and has no result yet: `culprit resume {id}` finishes it", run.Error.Trim());
    }

    [Fact]
    public async Task A_missing_store_is_an_error_and_is_not_created()
    {
        var store = job.Temp.Sub("absent.db");

        var run = await InvokeAsync("report", job.Id, "--store", store);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"culprit: store not found: {store}", run.Error.Trim());
        Assert.False(File.Exists(store));
    }
}
