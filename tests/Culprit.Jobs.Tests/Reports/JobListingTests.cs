using System.Text.Json;
using Culprit.Jobs.Reports;
using Culprit.Store;
using static Culprit.Jobs.Tests.Reports.SampleJobs;

namespace Culprit.Jobs.Tests.Reports;

public sealed class JobListingTests
{
    private static readonly DateTimeOffset Start = new(2020, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static JobRecord Record(string id, JobSpec spec, string state, JobResult? result, TimeSpan took) => new(
        id,
        JsonSerializer.Serialize(spec, JsonDefaults.Options),
        state,
        result is null ? null : JsonSerializer.Serialize(result, JsonDefaults.Options),
        Start,
        Start + took);

    private static readonly JobRecord FoundJob = Record("3f9a0c12", Spec(), "finished", Found(), TimeSpan.FromSeconds(11418.966));
    private static readonly JobRecord RunningFix = Record("77aa01bc", Spec(Direction.Fix) with { Repo = "/home/me/calc" }, "running", null, TimeSpan.FromSeconds(95));

    [Fact]
    public void Each_job_is_a_row_of_id_repo_direction_state_result_start_and_duration()
    {
        var lines = JobListing.RenderTable([JobListItem.From(FoundJob), JobListItem.From(RunningFix)]).Split('\n');

        Assert.Equal(
            [
                "ID        REPO           DIRECTION  STATE     RESULT              STARTED              DURATION",
                "3f9a0c12  /src/linux     cause      finished  found b41e98524e42  2020-03-10 12:00:00  3h10m19s",
                "77aa01bc  /home/me/calc  fix        running   -                   2020-03-10 12:00:00  1m35s",
                "",
            ],
            lines);
    }

    [Fact]
    public void A_result_without_a_culprit_shows_its_kind()
    {
        var record = Record("5b5b5b5b", Spec(), "finished", NotReproduced(), TimeSpan.FromMinutes(9));

        var item = JobListItem.From(record);

        Assert.Equal(("not-reproduced", null), (item.Result, item.Culprit));
        Assert.Contains(" not-reproduced ", JobListing.RenderTable([item]));
    }

    [Fact]
    public void A_job_whose_stored_spec_cannot_be_read_is_still_listed()
    {
        var record = new JobRecord("0badc0de", "{not json", "failed", null, Start, Start);

        var item = JobListItem.From(record);

        Assert.Equal(("0badc0de", "?", "?", "failed"), (item.Id, item.Repo, item.Direction, item.State));
    }

    [Fact]
    public void An_empty_store_says_so()
    {
        Assert.Equal("no jobs in the store\n", JobListing.RenderTable([]));
    }

    [Fact]
    public void The_json_list_has_the_same_fields_in_snake_case()
    {
        var json = JobListing.RenderJson([JobListItem.From(FoundJob)]);

        using var doc = JsonDocument.Parse(json);
        var job = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("3f9a0c12", job.GetProperty("id").GetString());
        Assert.Equal("/src/linux", job.GetProperty("repo").GetString());
        Assert.Equal("cause", job.GetProperty("direction").GetString());
        Assert.Equal("finished", job.GetProperty("state").GetString());
        Assert.Equal("found", job.GetProperty("result").GetString());
        Assert.Equal(CulpritHash, job.GetProperty("culprit").GetString());
        Assert.Equal("2020-03-10T12:00:00Z", job.GetProperty("started").GetString());
        Assert.Equal(11418.966, job.GetProperty("duration_seconds").GetDouble(), 3);
    }
}
