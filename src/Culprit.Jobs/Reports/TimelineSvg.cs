using System.Text;
using static Culprit.Jobs.Reports.Html;

namespace Culprit.Jobs.Reports;

/// <summary>
/// The bisection as an inline SVG, one row per tested commit in the order tested: its verdict,
/// its runs as a stacked bar (crashed, timed out, OK, infra error) and its build and test time.
/// Every row is a <c>g.tested-commit</c> carrying its numbers as data attributes.
/// </summary>
internal static class TimelineSvg
{
    private const int RowHeight = 24;
    private const int Top = 30;
    private const int Width = 1000;
    private const int RunsX = 345;
    private const int RunsWidth = 220;
    private const int TimeX = 635;
    private const int TimeWidth = 260;

    public static readonly IReadOnlyList<(string Class, string Label, string Colour)> RunColours =
    [
        ("crashed", "crashed", CrashColour),
        ("timed-out", "timed out", "#f39c12"),
        ("ok", "OK", CleanColour),
        ("infra", "infra error", "#9e9e9e"),
    ];

    public const string CrashColour = "#d64541";
    public const string CleanColour = "#3fa34d";

    /// <summary>
    /// Red when the verdict says the crash is there, green when it is gone. A fix bisection marks
    /// crashing commits <c>good</c> (the old state, as syzbot does), so the colours swap.
    /// </summary>
    public static string VerdictColour(string verdict, bool fix) => (verdict, fix) switch
    {
        ("bad", false) or ("good", true) => CrashColour,
        ("good", false) or ("bad", true) => CleanColour,
        ("skip", _) => "#9e9e9e",
        _ => "#f39c12",
    };

    public const string BuildColour = "#2e6da4";
    public const string TestColour = "#8fbce6";

    public static string Render(JobResult result)
    {
        var tested = result.Tested;
        var maxRuns = Math.Max(1, tested.Count == 0 ? 1 : tested.Max(t => t.Runs.Count));
        var maxTime = Math.Max(0.001, tested.Count == 0 ? 0 : tested.Max(t => t.BuildSeconds + t.TestSeconds));
        var height = Top + tested.Count * RowHeight + 8;
        var svg = new StringBuilder();
        svg.AppendLine($"<svg id=\"timeline\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"timeline-title\">");
        svg.AppendLine($"<title id=\"timeline-title\">Bisection timeline: {tested.Count} tests in the order they ran</title>");
        svg.AppendLine("<g class=\"header\" font-size=\"12\" font-weight=\"bold\" fill=\"#333\">");
        svg.AppendLine("<text x=\"4\" y=\"18\">#</text><text x=\"34\" y=\"18\">commit</text><text x=\"140\" y=\"18\">phase</text><text x=\"270\" y=\"18\">verdict</text>");
        svg.AppendLine($"<text x=\"{RunsX}\" y=\"18\">runs (max {maxRuns})</text><text x=\"{TimeX}\" y=\"18\">build + test time (max {Encode(GoDuration.Format(maxTime))})</text>");
        svg.AppendLine("</g>");
        for (var i = 0; i < tested.Count; i++)
        {
            Row(svg, result, tested[i], i, maxRuns, maxTime);
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void Row(StringBuilder svg, JobResult result, TestedCommit t, int index, int maxRuns, double maxTime)
    {
        var y = Top + index * RowHeight;
        var mid = y + 16;
        var counts = ReportPhrases.Count(t);
        var isCulprit = result.Culprit?.Commit == t.Commit;
        var classes = isCulprit ? "tested-commit culprit" : "tested-commit";
        svg.AppendLine($"<g class=\"{classes}\" data-index=\"{index}\" data-commit=\"{Encode(t.Commit)}\" data-phase=\"{Encode(t.Phase)}\" data-verdict=\"{Encode(t.Verdict)}\" " +
            $"data-crashed=\"{counts.Crashed}\" data-timed-out=\"{counts.TimedOut}\" data-ok=\"{counts.Ok}\" data-infra=\"{counts.Infra}\" " +
            $"data-build-seconds=\"{Num(t.BuildSeconds)}\" data-test-seconds=\"{Num(t.TestSeconds)}\">");
        svg.AppendLine($"<title>{Encode(Tooltip(t, counts))}</title>");
        if (index % 2 == 1)
        {
            svg.AppendLine($"<rect x=\"0\" y=\"{y + 2}\" width=\"{Width}\" height=\"{RowHeight}\" fill=\"#f4f4f4\"/>");
        }
        var weight = isCulprit ? " font-weight=\"bold\"" : "";
        svg.AppendLine($"<text x=\"4\" y=\"{mid}\" font-size=\"12\">{index + 1}</text>");
        svg.AppendLine($"<text x=\"34\" y=\"{mid}\" font-size=\"12\" font-family=\"monospace\"{weight}>{Encode(ReportPhrases.Short(t.Commit))}{(isCulprit ? " \u25c0" : "")}</text>");
        svg.AppendLine($"<text x=\"140\" y=\"{mid}\" font-size=\"12\">{Encode(t.Phase ?? "")}</text>");
        svg.AppendLine($"<rect class=\"verdict\" x=\"270\" y=\"{y + 5}\" width=\"60\" height=\"16\" rx=\"3\" fill=\"{VerdictColour(t.Verdict, ReportPhrases.IsFix(result))}\"/>");
        svg.AppendLine($"<text x=\"300\" y=\"{mid}\" font-size=\"11\" fill=\"#fff\" text-anchor=\"middle\">{Encode(t.Verdict)}</text>");

        var x = (double)RunsX;
        foreach (var (cls, _, colour) in RunColours)
        {
            var n = cls switch { "crashed" => counts.Crashed, "timed-out" => counts.TimedOut, "ok" => counts.Ok, _ => counts.Infra };
            if (n == 0)
            {
                continue;
            }
            var w = RunsWidth * (double)n / maxRuns;
            svg.AppendLine($"<rect class=\"runs-{cls}\" data-count=\"{n}\" x=\"{Num(x)}\" y=\"{y + 6}\" width=\"{Num(w)}\" height=\"14\" fill=\"{colour}\"/>");
            x += w;
        }
        var runsLabel = t.BuildError is not null ? "build failed" : t.ReusedFrom is not null ? $"{counts.Total} (reused)" : counts.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        svg.AppendLine($"<text x=\"{Num(x + 4)}\" y=\"{mid}\" font-size=\"11\" fill=\"#555\">{Encode(runsLabel)}</text>");

        var buildW = TimeWidth * t.BuildSeconds / maxTime;
        var testW = TimeWidth * t.TestSeconds / maxTime;
        svg.AppendLine($"<rect class=\"build-time\" x=\"{TimeX}\" y=\"{y + 6}\" width=\"{Num(buildW)}\" height=\"14\" fill=\"{BuildColour}\"/>");
        svg.AppendLine($"<rect class=\"test-time\" x=\"{Num(TimeX + buildW)}\" y=\"{y + 6}\" width=\"{Num(testW)}\" height=\"14\" fill=\"{TestColour}\"/>");
        svg.AppendLine($"<text x=\"{Num(TimeX + buildW + testW + 4)}\" y=\"{mid}\" font-size=\"11\" fill=\"#555\">{Encode(GoDuration.Format(t.BuildSeconds + t.TestSeconds))}</text>");
        svg.AppendLine("</g>");
    }

    private static string Tooltip(TestedCommit t, RunCounts c)
    {
        var text = $"{t.Commit} ({t.Phase}): {t.Verdict}; runs: {c.Crashed} crashed, {c.TimedOut} timed out, {c.Ok} OK, {c.Infra} infra error; " +
            $"build {GoDuration.Format(t.BuildSeconds)}, test {GoDuration.Format(t.TestSeconds)}";
        if (t.BuildError is { } error)
        {
            text += "; build failed: " + error.Split('\n')[0];
        }
        if (t.ReusedFrom is { } from)
        {
            text += t.BuildAvoided ? $"; not built: cannot change the build of {from}, outcome reused" : $"; same signature as {from}, outcome reused";
        }
        return text;
    }
}
