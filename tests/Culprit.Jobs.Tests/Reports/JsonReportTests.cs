using System.Text.Json;
using Culprit.Jobs.Reports;
using static Culprit.Jobs.Tests.Reports.SampleJobs;

namespace Culprit.Jobs.Tests.Reports;

public sealed class JsonReportTests
{
    [Fact]
    public void The_json_report_is_the_indented_result_object_and_reads_back_unchanged()
    {
        var result = Found(Verified);

        var json = JsonReport.Render(Job(result));

        Assert.Contains("\n  \"culprit\": {\n    \"commit\": \"" + CulpritHash + "\"", json);
        var back = JsonSerializer.Deserialize<JobResult>(json, JsonDefaults.Options)!;
        Assert.Equal(JsonSerializer.Serialize(result, JsonDefaults.Options), JsonSerializer.Serialize(back, JsonDefaults.Options));
    }
}
