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

/// <summary>
/// A file a job was submitted with, to store with it: <paramref name="Name"/> the input it is
/// (config, repro, compilers), <paramref name="FileName"/> the user's name for it.
/// </summary>
public sealed record JobFile(string Name, string FileName, byte[] Content)
{
    /// <summary>The content's SHA-256 (lower-case hex): where a node keeps its copy, and how two jobs share one.</summary>
    public string Sha256 { get; } = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Content));
}

/// <summary>A stored job file, without its content.</summary>
public sealed record StoredJobFile(string Name, string FileName, string Sha256);
