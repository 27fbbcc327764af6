namespace Culprit.Jobs;

/// <summary>Where a running job reports: the log lines a user reads and the state a live display shows.</summary>
public interface IJobListener
{
    void OnLine(string line);

    void OnStatus(JobStatus status);
}

/// <summary>What a live progress display shows while a job runs.</summary>
public sealed record JobStatus(
    string? Commit,
    string Activity,
    int? RevisionsLeft,
    int? StepsLeft,
    int RunsDone,
    int RunsTotal,
    IReadOnlyList<string> RunResults,
    TimeSpan Elapsed,
    TimeSpan? Remaining);

/// <summary>A listener that writes the log to a text writer and ignores status (piped output, tests).</summary>
public sealed class TextJobListener(TextWriter writer) : IJobListener
{
    public void OnLine(string line)
    {
        writer.WriteLine(line);
        writer.Flush();
    }

    public void OnStatus(JobStatus status)
    {
    }
}
