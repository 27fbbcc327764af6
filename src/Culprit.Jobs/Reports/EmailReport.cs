using System.Text;
using MimeKit;
using MimeKit.Text;
using static Culprit.Jobs.Reports.ReportPhrases;

namespace Culprit.Jobs.Reports;

/// <summary>
/// An email a maintainer can read like syzbot's bisection mails: headers with the crash title and
/// the cc list, the culprit as <c>git show</c> names it, how it was found and how sure we are, the
/// crash report, and the bisection log as an attachment (<see cref="LogAttachmentName"/>).
/// </summary>
public static class EmailReport
{
    public const string LogAttachmentName = "bisection.log";

    /// <summary>The message as a file (<c>sendmail -t</c> reads it), with Unix line ends.</summary>
    public static string Render(ReportedJob job)
    {
        using var stream = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Unix;
        Message(job).WriteTo(format, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The message, built by MimeKit: every header value is encoded by it (RFC 2047 for names and
    /// titles that are not ASCII), so nothing from a commit or a crash can add a header.
    /// </summary>
    public static MimeMessage Message(ReportedJob job)
    {
        var result = job.RequireResult();
        var message = new MimeMessage();
        // The sender is whoever sends it (sendmail fills it in); an empty From: would be invalid.
        message.Headers.Remove(HeaderId.From);
        var left = Headers(message, job, result);
        var mail = new StringBuilder();
        if (result.Culprit is { } culprit)
        {
            Found(mail, job, result, culprit);
        }
        else
        {
            NotFound(mail, job, result);
        }
        if (result.CrashTitle is { } title)
        {
            mail.AppendLine($"crash: {title}");
            mail.AppendLine();
            if (!string.IsNullOrWhiteSpace(result.Report))
            {
                mail.AppendLine(result.Report.TrimEnd());
                mail.AppendLine();
            }
        }
        if (left.Count > 0)
        {
            mail.AppendLine("Not addressed (not valid mail addresses): " + string.Join(", ", left.Select(a => VisibleText.Line(a))));
            mail.AppendLine();
        }
        mail.AppendLine($"The attached {LogAttachmentName} shows every commit tested, each run's outcome and why");
        mail.AppendLine($"each verdict was given; `culprit show {job.Id}` prints it again.");

        var body = Text(VisibleText.Block(mail.ToString()));
        var log = Text(VisibleText.Block(string.Join('\n', job.Log) + "\n"));
        log.FileName = LogAttachmentName;
        log.ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = LogAttachmentName };
        // A fixed boundary keeps the same job's mail the same; "=_" cannot occur in the 8bit or QP text parts.
        var mixed = new Multipart("mixed") { body, log };
        mixed.Boundary = $"=_culprit_{job.Id}";
        message.Body = mixed;
        return message;
    }

    private static TextPart Text(string text)
    {
        var part = new TextPart(TextFormat.Plain);
        part.SetText(Encoding.UTF8, text);
        // Readable as it is where the text allows (8bit), encoded where it must be (lines over 998 octets).
        part.ContentTransferEncoding = part.GetBestEncoding(EncodingConstraint.EightBit, 998);
        return part;
    }

    /// <summary>Subject, To and Cc, with a fixed date and id so the same job gives the same mail; returns the addresses left out.</summary>
    private static List<string> Headers(MimeMessage message, ReportedJob job, JobResult result)
    {
        var crash = result.CrashTitle ?? $"crash at {Short(result.Bad ?? job.Spec.Bad)}";
        var tag = (result.Result, IsFix(result)) switch
        {
            ("found", false) => result.Verification is { Doubtful: true } ? "bisected, doubtful" : "bisected",
            ("found", true) => result.Verification is { Doubtful: true } ? "fix bisected, doubtful" : "fix bisected",
            ("inconclusive", _) => "bisection inconclusive",
            ("not-reproduced", _) => "bisection: not reproduced",
            ("good-commit-crashes", _) => "bisection: good commit crashes",
            ("no-good-commit", _) => IsFix(result) ? "bisection: crash not fixed" : "bisection: no good commit",
            _ => "bisection failed",
        };
        message.Subject = VisibleText.Line($"[{tag}] {crash}");
        message.Date = job.UpdatedAt;
        message.MessageId = $"culprit.{job.Id}@localhost";
        var valid = result.Cc.Where(IsAddress).ToList();
        var left = result.Cc.Where(e => !IsAddress(e)).ToList();
        if (valid.Count == 0)
        {
            return left;
        }
        // The culprit's author is the one who can act on it; everyone else on the list is copied.
        var (authorName, authorAddress) = result.Culprit is { } c ? NameAndAddress(c.Author) : (null, null);
        var to = valid.FirstOrDefault(e => string.Equals(e, authorAddress, StringComparison.OrdinalIgnoreCase)) ?? valid[0];
        var toName = string.Equals(to, authorAddress, StringComparison.OrdinalIgnoreCase) ? VisibleText.Line(authorName) : "";
        message.To.Add(new MailboxAddress(toName, to));
        foreach (var cc in valid.Where(e => e != to))
        {
            message.Cc.Add(new MailboxAddress("", cc));
        }
        return left;
    }

    /// <summary>A plain address (<c>local@domain</c>) and nothing more: no spaces, no control characters, no second address.</summary>
    private static bool IsAddress(string text) =>
        text.Length is > 2 and < 255
        && !text.Any(ch => char.IsControl(ch) || char.IsWhiteSpace(ch) || ch is '<' or '>' or ',' or ';' or '"' or '(' or ')' or ':')
        && MailboxAddress.TryParse(text, out var mailbox)
        && mailbox.Address == text;

    private static void Found(StringBuilder mail, ReportedJob job, JobResult result, CulpritInfo c)
    {
        var fix = IsFix(result);
        mail.AppendLine(fix ? "Culprit has bisected the fix of this crash to:" : "Culprit has bisected this crash to:");
        mail.AppendLine();
        AppendShowHeader(mail, c);
        if (result.Verification is { Doubtful: true } doubt)
        {
            mail.AppendLine($"WARNING: this result is doubtful: {doubt.Reason}.");
            mail.AppendLine("Please check the bisection log before acting on it.");
            mail.AppendLine();
        }
        Facts(mail, job, result);
        mail.AppendLine();
        if (result.Verification is not { Doubtful: true })
        {
            var reference = $"{Short(c.Commit)} (\"{c.Subject}\")";
            mail.AppendLine(fix
                ? "If this is the fix, the bug can be closed as fixed by:"
                : "If this commit is the cause, the fix can carry the tag:");
            mail.AppendLine(fix ? $"  {reference}" : $"  Fixes: {reference}");
            mail.AppendLine();
        }
    }

    private static void NotFound(StringBuilder mail, ReportedJob job, JobResult result)
    {
        if (result.Result == "inconclusive")
        {
            mail.AppendLine(IsFix(result)
                ? "Culprit could not narrow the fix of this crash down to one commit:"
                : "Culprit could not narrow this crash down to one commit:");
            mail.AppendLine(NoCulprit(result));
            mail.AppendLine();
            mail.AppendLine($"The {FirstCommit(job.Spec)} could be any of:");
            foreach (var candidate in result.Candidates)
            {
                mail.AppendLine($"  {Candidate(result, candidate)}");
            }
        }
        else
        {
            mail.AppendLine("Culprit could not bisect this crash:");
            mail.AppendLine(NoCulprit(result));
        }
        mail.AppendLine();
        Facts(mail, job, result);
        mail.AppendLine();
    }

    /// <summary>How the answer was reached, as aligned <c>label: value</c> lines.</summary>
    private static void Facts(StringBuilder mail, ReportedJob job, JobResult result)
    {
        var s = result.Stats;
        var facts = new List<(string, string)>
        {
            ("bisection log", $"attached as {LogAttachmentName}"),
            ("repository", job.Spec.Repo),
            (IsFix(result) ? "crashing commit" : "bad commit", Named(result.Bad ?? job.Spec.Bad, job.Spec.BadRevision)),
        };
        if (GoodCommit(result) is { } good)
        {
            facts.Add((IsFix(result) ? "fixed commit" : "good commit", Named(good, job.Spec.GoodRevision)));
        }
        facts.Add(("revisions tested", $"{s.RevisionsTested} ({s.Builds} builds, {s.Runs} runs)"));
        facts.Add(("total time", $"{GoDuration.Format(s.TotalSeconds)} (build: {GoDuration.Format(s.BuildSeconds)}, test: {GoDuration.Format(s.TestSeconds)})"));
        facts.Add(("strategy", result.Strategy));
        if (result.Confidence is { } confidence)
        {
            facts.Add(("confidence", Percent(confidence)));
        }
        if (result.Verification is { } v)
        {
            facts.Add(("verification", (v.Doubtful ? "FAILED: " : "passed: ") + Checks(result, v)));
        }
        var width = facts.Max(f => f.Item1.Length) + 2;
        foreach (var (label, value) in facts)
        {
            mail.AppendLine((label + ":").PadRight(width) + value);
        }
    }

    /// <summary>The name and address of <c>Name &lt;address&gt;</c>; the address alone when there is no name.</summary>
    private static (string? Name, string Address) NameAndAddress(string author)
    {
        var open = author.LastIndexOf('<');
        var close = author.LastIndexOf('>');
        return open >= 0 && close > open ? (author[..open].Trim(), author[(open + 1)..close]) : (null, author.Trim());
    }
}
