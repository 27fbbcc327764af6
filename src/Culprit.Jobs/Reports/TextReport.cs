using System.Text;
using static Culprit.Jobs.Reports.ReportPhrases;

namespace Culprit.Jobs.Reports;

/// <summary>
/// The closing block of the seed log: the culprit with its author and date, the signatures,
/// revisions tested and time, the cc list, the crash title and its report.
/// </summary>
public static class TextReport
{
    public static string Render(ReportedJob job)
    {
        var result = job.RequireResult();
        var text = new StringBuilder();
        var first = FirstCommit(job.Spec);
        if (result.Culprit is { } c)
        {
            text.AppendLine($"{c.Commit} is the {first}");
            AppendShowHeader(text, c);
            if (result.Signature is { } signature)
            {
                text.AppendLine($"culprit signature: {signature}");
            }
            if (result.ParentSignature is { } parentSignature)
            {
                text.AppendLine($"parent  signature: {parentSignature}");
            }
            if (result.NoopChange == true)
            {
                text.AppendLine(ResultBuilder.NoopChangeLine);
            }
            text.AppendLine(TimeLine(result.Stats));
            if (result.Confidence is { } confidence)
            {
                text.AppendLine($"culprit confidence: {Percent(confidence)}");
            }
            if (result.Verification is { } v)
            {
                if (v.Doubtful)
                {
                    text.AppendLine($"the culprit is doubtful: {v.Reason}");
                }
                text.AppendLine($"culprit {(v.Doubtful ? "checks" : "verified")}: {Checks(result, v)}");
            }
            text.AppendLine($"{first}: {c.Commit} {c.Subject}");
            text.AppendLine(CcLine(result.Cc));
        }
        else if (result.Result == "inconclusive")
        {
            text.AppendLine(NoCulprit(result));
            text.AppendLine($"The {first} could be any of:");
            foreach (var candidate in result.Candidates)
            {
                text.AppendLine(Candidate(result, candidate));
            }
            text.AppendLine("We cannot bisect more!");
            text.AppendLine(TimeLine(result.Stats));
        }
        else
        {
            text.AppendLine(NoCulprit(result));
            text.AppendLine(TimeLine(result.Stats));
        }
        if (result.CrashTitle is { } title && result.Result is "found" or "inconclusive")
        {
            text.AppendLine($"crash: {title}");
            if (!string.IsNullOrWhiteSpace(result.Report))
            {
                text.AppendLine(result.Report.TrimEnd());
            }
        }
        return VisibleText.Block(text.ToString());
    }
}
