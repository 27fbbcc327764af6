using System.Text;
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

    public static string Render(ReportedJob job)
    {
        var result = job.RequireResult();
        var mail = new StringBuilder();
        Headers(mail, job, result);
        mail.AppendLine();
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
        mail.AppendLine($"The attached {LogAttachmentName} shows every commit tested, each run's outcome and why");
        mail.AppendLine($"each verdict was given; `culprit show {job.Id}` prints it again.");
        return mail.ToString();
    }

    private static void Headers(StringBuilder mail, ReportedJob job, JobResult result)
    {
        var crash = result.CrashTitle ?? $"crash at {Short(result.Bad ?? job.Spec.Bad)}";
        var tag = (result.Result, IsFix(result)) switch
        {
            ("found", false) => result.Verification is { Doubtful: true } ? "bisected, doubtful" : "bisected",
            ("found", true) => result.Verification is { Doubtful: true } ? "fix bisected, doubtful" : "fix bisected",
            ("inconclusive", _) => "bisection inconclusive",
            ("not-reproduced", _) => "bisection: not reproduced",
            ("no-good-commit", _) => IsFix(result) ? "bisection: crash not fixed" : "bisection: no good commit",
            _ => "bisection failed",
        };
        mail.AppendLine($"Subject: [{tag}] {crash}");
        if (result.Cc.Count == 0)
        {
            return;
        }
        // The culprit's author is the one who can act on it; everyone else on the list is copied.
        var author = result.Culprit is { } c ? AddressOf(c.Author) : null;
        var to = result.Cc.FirstOrDefault(e => string.Equals(e, author, StringComparison.OrdinalIgnoreCase)) ?? result.Cc[0];
        mail.AppendLine($"To: {to}");
        var cc = result.Cc.Where(e => e != to).ToList();
        if (cc.Count > 0)
        {
            mail.AppendLine($"Cc: {string.Join(", ", cc)}");
        }
    }

    private static void Found(StringBuilder mail, ReportedJob job, JobResult result, CulpritInfo c)
    {
        var fix = IsFix(result);
        mail.AppendLine(fix ? "Culprit has bisected the fix of this crash to:" : "Culprit has bisected this crash to:");
        mail.AppendLine();
        mail.AppendLine($"commit {c.Commit}");
        mail.AppendLine($"Author: {c.Author}");
        mail.AppendLine($"Date:   {GitDate(c.Date)}");
        mail.AppendLine();
        mail.AppendLine($"    {c.Subject}");
        mail.AppendLine();
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

    /// <summary>The address in <c>Name &lt;address&gt;</c>, or the text itself.</summary>
    private static string AddressOf(string author)
    {
        var open = author.LastIndexOf('<');
        var close = author.LastIndexOf('>');
        return open >= 0 && close > open ? author[(open + 1)..close] : author.Trim();
    }
}
