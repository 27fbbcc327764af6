namespace Culprit.Service.Grains;

/// <summary>
/// One grain per job id: it runs the job on the node it lives on, through <c>JobRunner</c>. Outcomes
/// are stored before the strategy sees them, so a grain re-activated on another node (its reminder
/// wakes it) simply runs the job again and replays what is stored. Later a job grain can hand a
/// round's commits to worker grains on other nodes; the API it offers stays the same.
/// </summary>
[Alias("Culprit.Service.Grains.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Runs (or resumes) the job once this node has a free worker slot; returns at once.</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>Stops the job as SIGINT stops <c>culprit bisect</c>: state <c>stopped</c>, everything stored kept.</summary>
    [Alias("Cancel")]
    Task<bool> CancelAsync();

    /// <summary>What the job is doing now, or null when it is not running here.</summary>
    [Alias("Progress")]
    Task<JobProgress?> ProgressAsync();

    /// <summary>Told by the job's own run when it ended, so the grain stops its reminder and may go idle.</summary>
    [Alias("Ended")]
    Task EndedAsync();
}

/// <summary>A running job's live status (the CLI's progress panel) for the dashboard.</summary>
[GenerateSerializer, Immutable, Alias("Culprit.Service.Grains.JobProgress")]
public sealed record JobProgress(
    [property: Id(0)] string Node,
    [property: Id(1)] string Activity,
    [property: Id(2)] string? Commit,
    [property: Id(3)] int? RevisionsLeft,
    [property: Id(4)] int? StepsLeft,
    [property: Id(5)] int RunsDone,
    [property: Id(6)] int RunsTotal);
