namespace Culprit.Store;

/// <summary>
/// A job as stored: its inputs (<paramref name="SpecJson"/>, owned by the job layer), its state and,
/// once finished, its result (<paramref name="ResultJson"/>).
/// </summary>
public sealed record JobRecord(
    string Id,
    string SpecJson,
    string State,
    string? ResultJson,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One stored outcome of testing a commit, in the order it was produced.</summary>
public sealed record StoredOutcome(int Sequence, string Json);

/// <summary>A line of a job's log; <paramref name="Outcomes"/> is how many outcomes were stored when it was written.</summary>
public sealed record StoredLogLine(int Outcomes, string Text);
