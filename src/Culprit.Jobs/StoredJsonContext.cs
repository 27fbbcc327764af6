using System.Text.Json.Serialization;

namespace Culprit.Jobs;

/// <summary>
/// Serialization code made at compile time for what every run of a job reads first: its inputs and
/// its stored outcomes. Without it the first read builds that code by reflection, 0.1 s of a resume's
/// start. <see cref="JsonDefaults.Options"/> uses it first and reflection for every other type; the
/// options there (names, enum strings) are the ones applied.
/// </summary>
[JsonSerializable(typeof(JobSpec))]
[JsonSerializable(typeof(StoredEntry))]
internal sealed partial class StoredJsonContext : JsonSerializerContext;
