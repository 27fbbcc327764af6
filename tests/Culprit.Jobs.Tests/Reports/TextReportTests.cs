using Culprit.Jobs.Reports;
using static Culprit.Jobs.Tests.Reports.SampleJobs;

namespace Culprit.Jobs.Tests.Reports;

public sealed class TextReportTests
{
    private static string[] Lines(JobResult result, JobSpec? spec = null) =>
        TextReport.Render(Job(result, spec)).Split('\n');

    [Fact]
    public void A_found_culprit_opens_with_its_commit_author_and_date_as_git_show_prints_them()
    {
        var lines = Lines(Found());

        Assert.Equal(
            [
                $"{CulpritHash} is the first bad commit",
                $"commit {CulpritHash}",
                "Author: Jens Axboe <axboe@kernel.dk>",
                "Date:   Mon Feb 17 09:52:41 2020 -0700",
                "",
                "    io_uring: add per-task callback handler",
                "",
            ],
            lines[..7]);
    }

    [Fact]
    public void The_closing_lines_are_those_of_the_seed_log()
    {
        var lines = Lines(Found());

        var start = Array.IndexOf(lines, "culprit signature: e00511cc84d1c8fd38ede9aa7816a80fc55eb5630aad0d0d1804268ce6a43676");
        Assert.Equal(
            [
                "culprit signature: e00511cc84d1c8fd38ede9aa7816a80fc55eb5630aad0d0d1804268ce6a43676",
                "parent  signature: 48dce13f43d3c49f7da64b38d5f50683cb99843010e41c94c51e04cf20dea161",
                "revisions tested: 15, total time: 3h10m18.966s (build: 1h35m37.43s, test: 1h33m12.933s)",
                $"first bad commit: {CulpritHash} io_uring: add per-task callback handler",
                "cc: [\"axboe@kernel.dk\" \"io-uring@vger.kernel.org\" \"linux-kernel@vger.kernel.org\"]",
                $"crash: {Title}",
                "INFO: trying to register non-static key.",
            ],
            lines[start..(start + 7)]);
    }

    [Fact]
    public void The_crash_report_ends_the_block()
    {
        var text = TextReport.Render(Job(Found()));

        Assert.EndsWith($"crash: {Title}\n{Report}", text);
    }

    [Fact]
    public void A_verified_culprit_says_what_was_checked()
    {
        var lines = Lines(Found(Verified));

        Assert.Contains("culprit verified: its parent does not crash (20 runs); reverting it on top of the bad commit removes the crash", lines);
        Assert.DoesNotContain(lines, l => l.Contains("doubtful", StringComparison.Ordinal));
    }

    [Fact]
    public void A_doubtful_culprit_says_why()
    {
        var lines = Lines(Found(ParentCrashes));

        Assert.Contains("the culprit is doubtful: the culprit's parent crashes too", lines);
        Assert.Contains("culprit checks: its parent crashes too (20 runs); reverting it on top of the bad commit removes the crash", lines);
    }

    [Fact]
    public void The_confidence_of_a_probabilistic_strategy_is_given_in_percent()
    {
        var lines = Lines(Found() with { Confidence = 0.9734 });

        Assert.Contains("culprit confidence: 97.3%", lines);
    }

    [Fact]
    public void A_fix_bisection_names_the_first_good_commit_and_its_checks()
    {
        var lines = Lines(Found(Verified, direction: "fix"));

        Assert.Equal($"{CulpritHash} is the first good commit", lines[0]);
        Assert.Contains($"first good commit: {CulpritHash} io_uring: add per-task callback handler", lines);
        Assert.Contains("culprit verified: its parent still crashes (20 runs); cherry-picking it onto the crashing commit removes the crash", lines);
    }

    [Fact]
    public void Custom_terms_name_the_first_commit_like_git_bisect()
    {
        var lines = Lines(Found(), Spec() with { TermOld = "fast", TermNew = "slow" });

        Assert.Equal($"{CulpritHash} is the first slow commit", lines[0]);
    }

    [Fact]
    public void An_inconclusive_result_lists_the_candidates_with_their_probabilities()
    {
        var lines = Lines(Inconclusive());

        Assert.Equal(
            [
                "There are only 'skip'ped commits left to test.",
                "The first bad commit could be any of:",
                $"{CulpritHash} (60.0%)",
                $"{Parent} (35.0%)",
                "We cannot bisect more!",
                "revisions tested: 15, total time: 3h10m18.966s (build: 1h35m37.43s, test: 1h33m12.933s)",
                $"crash: {Title}",
            ],
            lines[..7]);
    }

    [Fact]
    public void A_crash_that_did_not_reproduce_gives_the_reason_and_the_time_spent()
    {
        var lines = Lines(NotReproduced());

        Assert.Equal(
            [
                $"the crash does not reproduce on {Bad} (0 of 10 runs crashed)",
                "revisions tested: 1, total time: 9m0s (build: 5m0s, test: 4m0s)",
                "",
            ],
            lines);
    }

    [Fact]
    public void A_job_without_a_result_cannot_be_reported_and_the_error_says_how_to_finish_it()
    {
        var ex = Assert.Throws<JobException>(() => TextReport.Render(Job(null, state: "running")));

        Assert.Equal("job 3f9a0c12 is running and has no result yet: `culprit resume 3f9a0c12` finishes it", ex.Message);
    }
}
