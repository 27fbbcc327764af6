using System.Text;
using Culprit.Jobs.Reports;
using MimeKit;
using static Culprit.Jobs.Tests.Reports.SampleJobs;

namespace Culprit.Jobs.Tests.Reports;

public sealed class EmailReportTests
{
    private static string Mail(JobResult result) => EmailReport.Render(Job(result));

    private static MimeMessage Parse(string mail) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(mail)));

    /// <summary>The addressing headers as a reader sees them (decoded), and the text body.</summary>
    private static (string[] Headers, string Body) Split(string mail)
    {
        var message = Parse(mail);
        var headers = new List<string> { $"Subject: {message.Subject}" };
        if (message.To.Count > 0)
        {
            headers.Add($"To: {Names(message.To)}");
        }
        if (message.Cc.Count > 0)
        {
            headers.Add($"Cc: {Names(message.Cc)}");
        }
        return ([.. headers], message.TextBody ?? "");
    }

    private static string Names(InternetAddressList list) =>
        string.Join(", ", list.Mailboxes.Select(m => string.IsNullOrEmpty(m.Name) ? m.Address : $"{m.Name} <{m.Address}>"));

    [Fact]
    public void The_headers_carry_the_crash_title_and_the_cc_list_addressed_to_the_author()
    {
        var (headers, _) = Split(Mail(Found(Verified)));

        Assert.Equal(
            [
                $"Subject: [bisected] {Title}",
                "To: Jens Axboe <axboe@kernel.dk>",
                "Cc: io-uring@vger.kernel.org, linux-kernel@vger.kernel.org",
            ],
            headers);
    }

    [Fact]
    public void The_body_opens_with_the_culprit_commit_author_date_and_subject()
    {
        var (_, body) = Split(Mail(Found()));

        Assert.StartsWith(
            $"""
            Culprit has bisected this crash to:

            commit {CulpritHash}
            Author: Jens Axboe <axboe@kernel.dk>
            Date:   Mon Feb 17 09:52:41 2020 -0700

                io_uring: add per-task callback handler

            """,
            body);
    }

    [Fact]
    public void The_body_says_how_the_culprit_was_found_and_how_sure_it_is()
    {
        var lines = Mail(Found(Verified) with { Confidence = 0.991 }).Split('\n');

        Assert.Contains("bisection log:    attached as bisection.log", lines);
        Assert.Contains($"bad commit:       {Bad} (next-20200310)", lines);
        Assert.Contains($"good commit:      {Good} (v5.6-rc4)", lines);
        Assert.Contains("revisions tested: 15 (15 builds, 150 runs)", lines);
        Assert.Contains("total time:       3h10m18.966s (build: 1h35m37.43s, test: 1h33m12.933s)", lines);
        Assert.Contains("confidence:       99.1%", lines);
        Assert.Contains("verification:     passed: its parent does not crash (20 runs); reverting it on top of the bad commit removes the crash", lines);
    }

    [Fact]
    public void The_crash_title_and_report_follow()
    {
        var mail = Mail(Found());

        Assert.Contains($"crash: {Title}\n\n{Report}\n", mail);
    }

    [Fact]
    public void The_bisection_log_is_named_as_an_attachment()
    {
        var mail = Mail(Found());

        Assert.Equal("bisection.log", EmailReport.LogAttachmentName);
        Assert.Contains("The attached bisection.log shows every commit tested", Split(mail).Body);
        var attachment = Assert.IsType<TextPart>(Assert.Single(Parse(mail).Attachments));
        Assert.Equal("bisection.log", attachment.FileName);
        Assert.Equal($"bisecting cause commit starting from {Bad}\ntesting commit {Bad}\nall runs: crashed: {Title}\n", attachment.Text);
    }

    [Fact]
    public void A_trusted_cause_offers_a_fixes_tag()
    {
        var mail = Mail(Found(Verified));

        Assert.Contains("  Fixes: b41e98524e42 (\"io_uring: add per-task callback handler\")\n", mail);
    }

    [Fact]
    public void A_doubtful_culprit_is_flagged_in_the_subject_and_body_and_offers_no_fixes_tag()
    {
        var mail = Mail(Found(ParentCrashes));

        Assert.Equal($"Subject: [bisected, doubtful] {Title}", Split(mail).Headers[0]);
        Assert.Contains("WARNING: this result is doubtful: the culprit's parent crashes too.\n", mail);
        Assert.Contains("verification:     FAILED: its parent crashes too (20 runs);", mail);
        Assert.DoesNotContain("Fixes:", mail);
    }

    [Fact]
    public void A_fix_bisection_reads_as_the_fix_of_the_crash()
    {
        var mail = Mail(Found(Verified, direction: "fix"));

        Assert.Equal($"Subject: [fix bisected] {Title}", Split(mail).Headers[0]);
        Assert.Contains("Culprit has bisected the fix of this crash to:\n", mail);
        Assert.Contains($"crashing commit:  {Bad} (next-20200310)\n", mail);
        Assert.Contains($"fixed commit:     {Good} (v5.6-rc4)\n", mail);
        Assert.Contains("If this is the fix, the bug can be closed as fixed by:\n  b41e98524e42 (\"io_uring: add per-task callback handler\")\n", mail);
    }

    [Fact]
    public void An_inconclusive_bisection_lists_the_candidates_and_has_no_recipients()
    {
        var (headers, body) = Split(Mail(Inconclusive()));

        Assert.Equal([$"Subject: [bisection inconclusive] {Title}"], headers);
        Assert.StartsWith(
            $"""
            Culprit could not narrow this crash down to one commit:
            There are only 'skip'ped commits left to test.

            The first bad commit could be any of:
              {CulpritHash} (60.0%)
              {Parent} (35.0%)

            """,
            body);
    }

    [Fact]
    public void A_crash_that_did_not_reproduce_says_so_and_why()
    {
        var (headers, body) = Split(Mail(NotReproduced()));

        Assert.Equal([$"Subject: [bisection: not reproduced] crash at {Bad[..12]}"], headers);
        Assert.StartsWith($"Culprit could not bisect this crash:\nthe crash does not reproduce on {Bad} (0 of 10 runs crashed)\n", body);
        Assert.DoesNotContain("crash: ", body);
    }

    [Fact]
    public void An_address_with_a_line_break_adds_no_header_and_no_recipient()
    {
        var result = Found(Verified) with { Cc = ["axboe@kernel.dk", "evil@example.com\r\nBcc: victim@example.org", "x@example.com\nBcc: other@example.org"] };

        var mail = Mail(result);
        var message = Parse(mail);

        Assert.DoesNotContain("\nBcc:", mail, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(message.Bcc);
        Assert.Null(message.Headers[HeaderId.Bcc]);
        Assert.Equal(["axboe@kernel.dk"], message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address));
        Assert.Contains(@"Not addressed (not valid mail addresses): evil@example.com\r\nBcc: victim@example.org, x@example.com\nBcc: other@example.org", message.TextBody);
    }

    [Fact]
    public void Names_and_titles_that_are_not_ascii_are_encoded_in_the_headers()
    {
        var result = Found(Verified) with
        {
            CrashTitle = "KASAN: use-after-free in früh_fn",
            Culprit = Found().Culprit! with { Author = "Jürgen Groß <axboe@kernel.dk>" },
        };

        var mail = Mail(result);
        var headers = mail[..mail.IndexOf("\n\n", StringComparison.Ordinal)];
        var message = Parse(mail);

        Assert.True(headers.All(c => c < 128), "the headers must be ASCII");
        Assert.Contains("To: =?utf-8?", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Jürgen Groß", message.To.Mailboxes.Single().Name);
        Assert.Equal("[bisected] KASAN: use-after-free in früh_fn", message.Subject);
    }

    [Fact]
    public void Control_characters_in_the_title_and_subject_are_shown_escaped()
    {
        var result = Found(Verified) with
        {
            CrashTitle = "KASAN: \u001b[31mred\r title",
            Culprit = Found().Culprit! with { Subject = "io_uring: \u001b[2Jclear\rscreen" },
        };

        var message = Parse(Mail(result));

        Assert.Equal(@"[bisected] KASAN: \x1b[31mred\r title", message.Subject);
        Assert.Contains(@"    io_uring: \x1b[2Jclear\rscreen", message.TextBody);
        Assert.Contains(@"crash: KASAN: \x1b[31mred\r title", message.TextBody);
        Assert.DoesNotContain('\u001b', message.TextBody ?? "");
    }
}
