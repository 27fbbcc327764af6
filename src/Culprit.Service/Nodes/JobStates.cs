namespace Culprit.Service.Nodes;

/// <summary>The states a stored job is in; the service adds <c>queued</c> (waiting for a worker slot) to the CLI's.</summary>
public static class JobStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Stopped = "stopped";
    public const string Finished = "finished";
    public const string Failed = "failed";

    /// <summary>States in which the job still has work to do on some node.</summary>
    public static bool IsActive(string state) => state is Queued or Running;
}
