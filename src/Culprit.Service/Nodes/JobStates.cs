namespace Culprit.Service.Nodes;

/// <summary>The states a stored job is in; the service adds <c>queued</c> to the CLI's (jobs stored while a job waited for a node's slot, before commits were dispatched; still active).</summary>
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
