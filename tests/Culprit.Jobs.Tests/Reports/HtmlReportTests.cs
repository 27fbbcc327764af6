using System.Globalization;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Culprit.Jobs.Reports;
using static Culprit.Jobs.Tests.Reports.SampleJobs;

namespace Culprit.Jobs.Tests.Reports;

public sealed class HtmlReportTests
{
    private static IHtmlDocument Page(JobResult result, IReadOnlyList<string>? log = null) =>
        new HtmlParser().ParseDocument(HtmlReport.Render(Job(result, log: log)));

    private static Dictionary<string, string> Summary(IHtmlDocument page) =>
        page.QuerySelectorAll("table#summary tr").ToDictionary(r => r.QuerySelector("th")!.TextContent, r => r.QuerySelector("td")!.TextContent);

    private static IElement[] Rows(IHtmlDocument page) => [.. page.QuerySelectorAll("svg#timeline g.tested-commit")];

    private static double Width(IElement rect) => double.Parse(rect.GetAttribute("width")!, CultureInfo.InvariantCulture);

    private static double X(IElement rect) => double.Parse(rect.GetAttribute("x")!, CultureInfo.InvariantCulture);

    [Fact]
    public void The_title_and_heading_name_the_job_and_the_culprit()
    {
        var page = Page(Found());

        Assert.Equal("Culprit job 3f9a0c12: first bad commit: b41e98524e42 io_uring: add per-task callback handler", page.Title);
        Assert.Equal("first bad commit: b41e98524e42 io_uring: add per-task callback handler", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public void The_summary_gives_the_result_the_culprit_and_how_it_was_found()
    {
        var summary = Summary(Page(Found(Verified)));

        Assert.Equal("found", summary["Result"]);
        Assert.Equal("cause", summary["Direction"]);
        Assert.Equal("/src/linux", summary["Repository"]);
        Assert.Equal($"{Bad} (next-20200310)", summary["Bad commit"]);
        Assert.Equal($"{Good} (v5.6-rc4)", summary["Good commit"]);
        Assert.Equal($"{CulpritHash} io_uring: add per-task callback handler", summary["Culprit"]);
        Assert.Equal("Jens Axboe <axboe@kernel.dk>", summary["Author"]);
        Assert.Equal("Mon Feb 17 09:52:41 2020 -0700", summary["Date"]);
        Assert.Equal("verified: its parent does not crash (20 runs); reverting it on top of the bad commit removes the crash", summary["Verification"]);
        Assert.Equal("15", summary["Revisions tested"]);
        Assert.Equal("3h10m18.966s (build: 1h35m37.43s, test: 1h33m12.933s)", summary["Total time"]);
        Assert.Equal("axboe@kernel.dk, io-uring@vger.kernel.org, linux-kernel@vger.kernel.org", summary["Cc"]);
        Assert.Equal(Title, summary["Crash"]);
    }

    [Fact]
    public void The_timeline_has_one_row_per_tested_commit_in_the_order_tested()
    {
        var result = Found(Verified);

        var rows = Rows(Page(result));

        Assert.Equal(result.Tested.Select(t => t.Commit), rows.Select(r => r.GetAttribute("data-commit")));
        Assert.Equal(result.Tested.Select(t => t.Verdict), rows.Select(r => r.GetAttribute("data-verdict")));
        Assert.Equal(result.Tested.Select(t => t.Phase), rows.Select(r => r.GetAttribute("data-phase")));
    }

    [Fact]
    public void A_row_stacks_its_crashed_ok_and_infra_runs_to_the_scale_of_the_most_runs()
    {
        var rows = Rows(Page(Found()));
        var culprit = rows[2];
        var allCrashed = rows[0].QuerySelector("rect.runs-crashed")!;

        var crashed = culprit.QuerySelector("rect.runs-crashed")!;
        var ok = culprit.QuerySelector("rect.runs-ok")!;
        var infra = culprit.QuerySelector("rect.runs-infra")!;

        Assert.Equal(("3", "6", "1"), (crashed.GetAttribute("data-count"), ok.GetAttribute("data-count"), infra.GetAttribute("data-count")));
        Assert.Equal(X(crashed) + Width(crashed), X(ok), 2);
        Assert.Equal(X(ok) + Width(ok), X(infra), 2);
        // Both rows had 10 runs: the stacked bar of one is exactly as long as the single bar of the other.
        Assert.Equal(Width(allCrashed), Width(crashed) + Width(ok) + Width(infra), 2);
        Assert.Equal(2 * Width(crashed), Width(ok), 2);
        Assert.Null(rows[1].QuerySelector("rect.runs-crashed"));
    }

    [Fact]
    public void Build_and_test_time_bars_are_drawn_to_one_scale()
    {
        var rows = Rows(Page(Found()));
        var culprit = rows[2]; // build 600s, test 120s: the longest
        var bad = rows[0]; // build 300s, test 240s

        var build = Width(culprit.QuerySelector("rect.build-time")!);
        var test = Width(culprit.QuerySelector("rect.test-time")!);
        var badTotal = Width(bad.QuerySelector("rect.build-time")!) + Width(bad.QuerySelector("rect.test-time")!);

        // Widths are written with two decimals.
        Assert.Equal(5 * test, build, tolerance: 0.05);
        Assert.Equal((build + test) * 540 / 720, badTotal, tolerance: 0.05);
        Assert.Equal("600", culprit.GetAttribute("data-build-seconds"));
        Assert.Equal("120", culprit.GetAttribute("data-test-seconds"));
    }

    [Fact]
    public void A_verdict_is_coloured_like_crashed_runs_when_it_means_the_crash_is_there()
    {
        var cause = Rows(Page(Found()));
        var fix = Rows(Page(Found(direction: "fix") with
        {
            Tested = [SampleJobs.Tested(Bad, "good", crashed: 10), SampleJobs.Tested(Good, "bad", ok: 10)],
        }));
        var crashColour = cause[0].QuerySelector("rect.runs-crashed")!.GetAttribute("fill");
        var okColour = cause[1].QuerySelector("rect.runs-ok")!.GetAttribute("fill");

        string? Verdict(IElement row) => row.QuerySelector("rect.verdict")!.GetAttribute("fill");

        Assert.Equal((crashColour, okColour), (Verdict(cause[0]), Verdict(cause[1])));
        // A fix bisection calls crashing commits good, like syzbot: the colour still says "crashes".
        Assert.Equal((crashColour, okColour), (Verdict(fix[0]), Verdict(fix[1])));
    }

    [Fact]
    public void The_culprits_row_is_marked()
    {
        var marked = Rows(Page(Found())).Where(r => r.ClassList.Contains("culprit")).ToList();

        Assert.Equal(CulpritHash, Assert.Single(marked).GetAttribute("data-commit"));
    }

    [Fact]
    public void The_page_holds_the_crash_report_and_the_whole_log()
    {
        string[] log = ["", "bisecting cause commit starting from " + Bad, "  indented line", "# git bisect good " + Good];

        var page = Page(Found(), log);

        Assert.Equal(Report.TrimEnd(), page.QuerySelector("pre#report")!.TextContent);
        Assert.Equal(string.Join('\n', log), page.QuerySelector("pre#bisection-log")!.TextContent);
        Assert.Equal($"Crash: {Title}", page.QuerySelector("h2#crash")!.TextContent);
    }

    [Fact]
    public void Markup_in_the_log_report_and_commit_subject_is_shown_as_text()
    {
        const string hostile = "<script>alert('x')</script> & <b>\"bold\"</b>";
        var result = Found() with
        {
            Culprit = new CulpritInfo(CulpritHash, hostile, "Eve <eve@example.com>", null),
            Report = hostile,
        };

        var page = Page(result, [hostile]);

        Assert.Empty(page.QuerySelectorAll("script"));
        Assert.Empty(page.QuerySelectorAll("b"));
        Assert.Equal(hostile, page.QuerySelector("pre#bisection-log")!.TextContent);
        Assert.Equal(hostile, page.QuerySelector("pre#report")!.TextContent);
        Assert.Equal($"{CulpritHash} {hostile}", Summary(page)["Culprit"]);
    }

    [Fact]
    public void Control_characters_in_the_log_are_made_visible()
    {
        var page = Page(Found(), ["\u001b[31mFAIL\u001b[0m"]);

        Assert.Equal(@"\x1b[31mFAIL\x1b[0m", page.QuerySelector("pre#bisection-log")!.TextContent);
    }

    [Fact]
    public void The_page_loads_nothing_from_anywhere()
    {
        var page = Page(Found(Verified));

        Assert.Empty(page.QuerySelectorAll("script, link, iframe, object, embed, img, audio, video, source, base"));
        var references = page.All
            .SelectMany(e => e.Attributes)
            .Where(a => a.LocalName is "src" or "href" or "srcset" or "action" or "data" or "poster" or "background")
            .Where(a => !a.Value.StartsWith('#'))
            .Select(a => $"{a.LocalName}={a.Value}");
        Assert.Empty(references);
        var css = page.QuerySelectorAll("style").Select(s => s.TextContent)
            .Concat(page.All.Select(e => e.GetAttribute("style")).OfType<string>());
        Assert.DoesNotContain(css, c => c.Contains("url(", StringComparison.OrdinalIgnoreCase) || c.Contains("@import", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_doubtful_culprit_is_highlighted_with_the_reason()
    {
        var page = Page(Found(ParentCrashes));

        var note = page.QuerySelector("p#verification")!;
        Assert.True(note.ClassList.Contains("doubtful"));
        Assert.StartsWith("The culprit is doubtful: the culprit's parent crashes too.", note.TextContent);
    }

    [Fact]
    public void An_inconclusive_result_lists_the_candidates_and_marks_no_row()
    {
        var page = Page(Inconclusive());

        Assert.Equal($"{CulpritHash} (60.0%)\n{Parent} (35.0%)", Summary(page)["Candidates"]);
        Assert.Equal("There are only 'skip'ped commits left to test.", page.QuerySelector("h1")!.TextContent);
        Assert.DoesNotContain(Rows(page), r => r.ClassList.Contains("culprit"));
    }
}
