using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Culprit.Store;

namespace Culprit.Jobs.Reports;

/// <summary>One job in <c>culprit jobs</c>.</summary>
public sealed record JobListItem(
    string Id,
    string Repo,
    string Direction,
    string State,
    string? Result,
    string? Culprit,
    DateTimeOffset Started,
    double DurationSeconds)
{
    /// <summary>The row of a stored job. A spec or result that cannot be read shows as <c>?</c> rather than hiding the job.</summary>
    public static JobListItem From(JobRecord record)
    {
        JobSpec? spec = null;
        JobResult? result = null;
        try
        {
            spec = JsonSerializer.Deserialize<JobSpec>(record.SpecJson, JsonDefaults.Options);
            result = record.ResultJson is { } json ? JsonSerializer.Deserialize<JobResult>(json, JsonDefaults.Options) : null;
        }
        catch (JsonException)
        {
        }
        return new JobListItem(
            record.Id,
            spec?.Repo ?? "?",
            spec is null ? "?" : spec.Direction == Jobs.Direction.Cause ? "cause" : "fix",
            record.State,
            result?.Result,
            result?.Culprit?.Commit,
            record.CreatedAt,
            // A running job's last update is its last stored outcome: the time it has worked so far.
            Math.Max(0, (record.UpdatedAt - record.CreatedAt).TotalSeconds));
    }
}

/// <summary><c>culprit jobs</c>: the jobs of a store as a plain aligned table, or as JSON.</summary>
public static class JobListing
{
    private static readonly string[] Header = ["ID", "REPO", "DIRECTION", "STATE", "RESULT", "STARTED", "DURATION"];

    public static string RenderTable(IReadOnlyList<JobListItem> jobs)
    {
        if (jobs.Count == 0)
        {
            return "no jobs in the store" + Environment.NewLine;
        }
        var rows = new List<string[]> { Header };
        rows.AddRange(jobs.Select(j => new[]
        {
            j.Id,
            j.Repo,
            j.Direction,
            j.State,
            ResultCell(j),
            j.Started.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            Duration(j.DurationSeconds),
        }));
        var widths = Enumerable.Range(0, Header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]));
            text.AppendLine(string.Join("  ", cells).TrimEnd());
        }
        return text.ToString();
    }

    public static string RenderJson(IReadOnlyList<JobListItem> jobs) =>
        JsonSerializer.Serialize(jobs, ListOptions) + Environment.NewLine;

    private static readonly JsonSerializerOptions ListOptions = new(JsonDefaults.Indented)
    {
        Converters = { new UtcTimeConverter() },
    };

    private static string ResultCell(JobListItem j) => (j.Result, j.Culprit) switch
    {
        (null, _) => "-",
        (var r, { } c) => $"{r} {ReportPhrases.Short(c)}",
        (var r, null) => r,
    };

    /// <summary>Whole seconds: the list is for finding a job, not for timing it.</summary>
    private static string Duration(double seconds) => GoDuration.Format(Math.Round(seconds));

    private sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
    }
}
