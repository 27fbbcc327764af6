namespace Culprit.Service.Nodes;

/// <summary>
/// The steps of one job going on on this node, and whether the job ended meanwhile. A step may
/// outlive its caller: when the node running a job's grain dies, the steps it dispatched here go on
/// (Orleans cancels a call only when its caller cancels), and a step waiting for a slot may start
/// after the job, run again elsewhere, has ended. Ending the job cancels them, and the last of them
/// to end removes what they wrote after the job's directories were removed.
/// </summary>
internal sealed class JobSteps
{
    private readonly CancellationTokenSource _ended = new();

    /// <summary>Steps of the job running here now; changed only under the node's lock of its jobs.</summary>
    public int InFlight { get; set; }

    /// <summary>Cancelled once the job has ended: its steps here stop.</summary>
    public CancellationToken Ended => _ended.Token;

    public bool HasEnded => _ended.IsCancellationRequested;

    public void End() => _ended.Cancel();
}
