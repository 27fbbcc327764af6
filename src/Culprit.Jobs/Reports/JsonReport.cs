using System.Text.Json;

namespace Culprit.Jobs.Reports;

/// <summary>The result object, indented, exactly as <c>--json</c> writes it.</summary>
public static class JsonReport
{
    public static string Render(ReportedJob job) =>
        JsonSerializer.Serialize(job.RequireResult(), JsonDefaults.Indented) + Environment.NewLine;
}
