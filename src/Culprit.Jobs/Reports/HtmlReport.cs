using System.Globalization;
using System.Text;
using static Culprit.Jobs.Reports.Html;
using static Culprit.Jobs.Reports.ReportPhrases;

namespace Culprit.Jobs.Reports;

/// <summary>
/// One self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched): the job summary,
/// a timeline of the bisection, the tested commits, the crash report and the full log.
/// </summary>
public static class HtmlReport
{
    private const string Style = """
        body { font-family: sans-serif; margin: 2em auto; max-width: 1060px; color: #222; line-height: 1.4; }
        h1 { font-size: 1.5em; margin-bottom: 0.2em; }
        h2 { font-size: 1.2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
        table { border-collapse: collapse; }
        th, td { text-align: left; vertical-align: top; padding: 2px 10px 2px 0; }
        table.summary th { color: #555; font-weight: normal; white-space: nowrap; }
        table.tested td, table.tested th { border-bottom: 1px solid #eee; padding-right: 14px; }
        code, pre, .hash { font-family: monospace; }
        pre { background: #f7f7f7; border: 1px solid #e3e3e3; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
        .doubtful { background: #fdecea; border-left: 4px solid #d64541; padding: 0.5em 0.8em; }
        .verified { background: #eaf6ec; border-left: 4px solid #3fa34d; padding: 0.5em 0.8em; }
        .timeline { overflow-x: auto; }
        .legend span { display: inline-block; margin-right: 1.2em; font-size: 0.9em; }
        .legend i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em; vertical-align: -0.1em; }
        """;

    public static string Render(ReportedJob job)
    {
        var result = job.RequireResult();
        var html = new StringBuilder();
        var heading = Heading(job, result);
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\">");
        html.AppendLine("<head>");
        html.AppendLine("<meta charset=\"utf-8\">");
        html.AppendLine($"<title>{Encode($"Culprit job {job.Id}: {heading}")}</title>");
        html.AppendLine($"<style>\n{Style}\n</style>");
        html.AppendLine("</head>");
        html.AppendLine("<body>");
        html.AppendLine($"<h1>{Encode(heading)}</h1>");
        if (result.CrashTitle is { } crash)
        {
            html.AppendLine($"<p class=\"crash-title\">{Encode("crash: " + crash)}</p>");
        }
        Verdict(html, result);
        Summary(html, job, result);
        Timeline(html, result);
        Tested(html, result);
        Section(html, "crash", result.CrashTitle is { } title ? $"Crash: {title}" : "Crash", "report", result.Report ?? "(no crash report)");
        Section(html, "log", "Bisection log", "bisection-log", string.Join('\n', job.Log));
        html.AppendLine("</body>");
        html.AppendLine("</html>");
        return html.ToString();
    }

    private static string Heading(ReportedJob job, JobResult result) => result.Culprit is { } c
        ? $"{FirstCommit(job.Spec)}: {Short(c.Commit)} {c.Subject}"
        : NoCulprit(result);

    private static void Verdict(StringBuilder html, JobResult result)
    {
        if (result.Verification is not { } v)
        {
            return;
        }
        var cls = v.Doubtful ? "doubtful" : "verified";
        var text = v.Doubtful
            ? $"The culprit is doubtful: {v.Reason}. Checks: {Checks(result, v)}."
            : $"The culprit is verified: {Checks(result, v)}.";
        html.AppendLine($"<p class=\"{cls}\" id=\"verification\">{Encode(text)}</p>");
    }

    private static void Summary(StringBuilder html, ReportedJob job, JobResult result)
    {
        var s = result.Stats;
        var rows = new List<(string, string)>
        {
            ("Job", job.Id),
            ("State", job.State),
            ("Result", result.Result),
            ("Direction", result.Direction),
            ("Strategy", result.Strategy),
            ("Repository", job.Spec.Repo),
            (IsFix(result) ? "Crashing commit" : "Bad commit", Named(result.Bad ?? job.Spec.Bad, job.Spec.BadRevision)),
        };
        if (GoodCommit(result) is { } good)
        {
            rows.Add((IsFix(result) ? "Fixed commit" : "Good commit", Named(good, job.Spec.GoodRevision)));
        }
        if (result.Culprit is { } c)
        {
            rows.Add(("Culprit", $"{c.Commit} {c.Subject}"));
            rows.Add(("Author", c.Author));
            rows.Add(("Date", GitDate(c.Date)));
        }
        if (result.Candidates.Count > 0)
        {
            rows.Add(("Candidates", string.Join('\n', result.Candidates.Select(x => Candidate(result, x)))));
        }
        if (result.Confidence is { } confidence)
        {
            rows.Add(("Confidence", Percent(confidence)));
        }
        if (result.Verification is { } v)
        {
            rows.Add(("Verification", (v.Doubtful ? $"doubtful, {v.Reason}: " : "verified: ") + Checks(result, v)));
        }
        if (result.Culprit is null && result.Message is { } message)
        {
            rows.Add(("Message", message));
        }
        rows.Add(("Revisions tested", s.RevisionsTested.ToString(CultureInfo.InvariantCulture)));
        rows.Add(("Builds", s.Builds.ToString(CultureInfo.InvariantCulture)));
        rows.Add(("Runs", s.Runs.ToString(CultureInfo.InvariantCulture)));
        rows.Add(("Total time", $"{GoDuration.Format(s.TotalSeconds)} (build: {GoDuration.Format(s.BuildSeconds)}, test: {GoDuration.Format(s.TestSeconds)})"));
        if (result.Cc.Count > 0)
        {
            rows.Add(("Cc", string.Join(", ", result.Cc)));
        }
        if (result.CrashTitle is { } title)
        {
            rows.Add(("Crash", title));
        }
        rows.Add(("Started", job.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)));

        html.AppendLine("<h2>Summary</h2>");
        html.AppendLine("<table class=\"summary\" id=\"summary\">");
        foreach (var (label, value) in rows)
        {
            var cell = Encode(value).Replace("\n", "<br>\n", StringComparison.Ordinal);
            html.AppendLine($"<tr><th>{Encode(label)}</th><td>{cell}</td></tr>");
        }
        html.AppendLine("</table>");
    }

    private static void Timeline(StringBuilder html, JobResult result)
    {
        html.AppendLine("<h2>Timeline</h2>");
        html.Append("<p class=\"legend\">");
        foreach (var (_, label, colour) in TimelineSvg.RunColours)
        {
            html.Append($"<span><i style=\"background:{colour}\"></i>{Encode(label)}</span>");
        }
        html.Append($"<span><i style=\"background:{TimelineSvg.BuildColour}\"></i>build time</span>");
        html.Append($"<span><i style=\"background:{TimelineSvg.TestColour}\"></i>test time</span>");
        html.Append($"<span>verdict: <i style=\"background:{TimelineSvg.CrashColour}\"></i>crash present <i style=\"background:{TimelineSvg.CleanColour}\"></i>crash gone</span>");
        html.AppendLine("</p>");
        html.AppendLine("<div class=\"timeline\">");
        html.Append(TimelineSvg.Render(result));
        html.AppendLine("</div>");
    }

    private static void Tested(StringBuilder html, JobResult result)
    {
        html.AppendLine("<h2>Tested commits</h2>");
        html.AppendLine("<table class=\"tested\" id=\"tested\">");
        html.AppendLine("<tr><th>#</th><th>commit</th><th>phase</th><th>verdict</th><th>crashed</th><th>timed out</th><th>OK</th><th>infra</th><th>build</th><th>test</th><th>note</th></tr>");
        for (var i = 0; i < result.Tested.Count; i++)
        {
            var t = result.Tested[i];
            var n = Count(t);
            var note = t.BuildError is { } error ? "build failed: " + error.Split('\n')[0]
                : t.ReusedFrom is { } avoidedFrom && t.BuildAvoided ? $"not built: cannot change the build of {Short(avoidedFrom)}"
                : t.ReusedFrom is { } from ? $"same signature as {Short(from)}"
                : t.Runs.FirstOrDefault(r => r.Title is not null)?.Title ?? "";
            html.AppendLine($"<tr><td>{i + 1}</td><td class=\"hash\">{Encode(t.Commit)}</td><td>{Encode(t.Phase)}</td><td>{Encode(t.Verdict)}</td>" +
                $"<td>{n.Crashed}</td><td>{n.TimedOut}</td><td>{n.Ok}</td><td>{n.Infra}</td>" +
                $"<td>{Encode(GoDuration.Format(t.BuildSeconds))}</td><td>{Encode(GoDuration.Format(t.TestSeconds))}</td><td>{Encode(note)}</td></tr>");
        }
        html.AppendLine("</table>");
    }

    private static void Section(StringBuilder html, string id, string heading, string preId, string text)
    {
        html.AppendLine($"<h2 id=\"{id}\">{Encode(heading)}</h2>");
        // A newline right after <pre> is dropped by every HTML parser: this one keeps the text's own first line intact.
        html.AppendLine($"<pre id=\"{preId}\">\n{Encode(text.TrimEnd())}</pre>");
    }
}
