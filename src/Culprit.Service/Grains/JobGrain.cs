using Culprit.Jobs;
using Culprit.Service.Nodes;
using Microsoft.Extensions.Logging;

namespace Culprit.Service.Grains;

/// <summary>
/// Runs one job on this node. The run itself goes on outside the grain's turn-based scheduler (it
/// takes hours and blocks on builds), and tells the grain when it ends. A reminder wakes the grain
/// every minute while the job is unfinished, so a job whose node died is picked up again elsewhere.
/// </summary>
public sealed class JobGrain(JobRunners runners, JobStores stores, ILocalSiloDetails silo, IClusterMembershipService membership, ILogger<JobGrain> logger)
    : Grain, IJobGrain, IRemindable
{
    private const string WakeReminder = "wake";
    private static readonly TimeSpan WakePeriod = TimeSpan.FromMinutes(1);

    private Task? _run;
    private CancellationTokenSource? _stop;
    private ProgressListener? _listener;

    public async Task StartAsync()
    {
        if (_run is { IsCompleted: false })
        {
            return;
        }
        await this.RegisterOrUpdateReminder(WakeReminder, WakePeriod, WakePeriod);
        // The run is not a grain call: without this the grain would look idle and be collected mid-job.
        DelayDeactivation(TimeSpan.FromDays(30));
        var id = this.GetPrimaryKeyString();
        _stop = new CancellationTokenSource();
        _listener = new ProgressListener();
        var self = GrainFactory.GetGrain<IJobGrain>(id);
        var listener = _listener;
        var token = _stop.Token;
        _run = Task.Run(() => RunAsync(id, self, listener, token));
    }

    public Task<bool> CancelAsync()
    {
        if (_run is not { IsCompleted: false } || _stop is null)
        {
            return Task.FromResult(false);
        }
        _stop.Cancel();
        return Task.FromResult(true);
    }

    public Task<JobProgress?> ProgressAsync()
    {
        if (_run is not { IsCompleted: false } || _listener is null)
        {
            return Task.FromResult<JobProgress?>(null);
        }
        var status = _listener.Last;
        return Task.FromResult<JobProgress?>(new JobProgress(
            silo.Name,
            status?.Activity ?? "starting",
            status?.Commit,
            status?.RevisionsLeft,
            status?.StepsLeft,
            status?.RunsDone ?? 0,
            status?.RunsTotal ?? 0));
    }

    public async Task EndedAsync()
    {
        // A run that ended with the job still unfinished (its lock still held by a node not yet seen
        // dead, a lost database connection) keeps the wake reminder: the job is tried again.
        using (var store = stores.Open())
        {
            if (store.FindJob(this.GetPrimaryKeyString()) is { } job && JobStates.IsActive(job.State))
            {
                DeactivateOnIdle();
                return;
            }
        }
        // The reminder goes only once every live node has dropped the job: one that could not be told
        // (or this node dying midway) is told again at the next wake, wherever the grain is then.
        if (await ForgetEverywhereAsync(this.GetPrimaryKeyString()) && await this.GetReminder(WakeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        DeactivateOnIdle();
    }

    /// <summary>
    /// Every live node drops what it keeps of the ended job (testers, worktrees, build output): its
    /// workers' dispatchers release only the nodes they used, and a job grain whose node died
    /// took the list of those with it. Whether every live node was told.
    /// </summary>
    private async Task<bool> ForgetEverywhereAsync(string id)
    {
        var nodes = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress.ToParsableString());
        var told = await Task.WhenAll(nodes.Select(async node =>
        {
            try
            {
                await GrainFactory.GetGrain<IWorkerGrain>(node).ForgetAsync(id);
                return true;
            }
            catch (Exception ex)
            {
                logger.LogInformation("job {Job}: could not clear its worker directories on {Node}: {Message}", id, node, ex.Message);
                return false;
            }
        }));
        return told.All(t => t);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_run is { IsCompleted: false })
        {
            return;
        }
        using var store = stores.Open();
        var state = store.FindJob(this.GetPrimaryKeyString())?.State;
        if (state is JobStates.Running or JobStates.Queued)
        {
            await StartAsync();
        }
        else
        {
            await EndedAsync();
        }
    }

    private async Task RunAsync(string id, IJobGrain self, ProgressListener listener, CancellationToken ct)
    {
        try
        {
            using var store = stores.Open();
            // The job's grain only decides; its commits take slots on the nodes they are dispatched to.
            await runners.Create(store, listener).RunAsync(id, ct);
        }
        catch (Exception ex) when (ex is JobStoppedException or JobFailedException)
        {
            // Stored as stopped or failed, with the reason in the job's log.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "job {Job} ended without a result", id);
        }
        finally
        {
            try
            {
                await self.EndedAsync();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "job {Job}: could not tell its grain it ended", id);
            }
        }
    }

    private sealed class ProgressListener : IJobListener
    {
        private volatile JobStatus? _last;

        public JobStatus? Last => _last;

        public void OnLine(string line)
        {
            // The log is in the store already (JobLog writes it); pages read it from there.
        }

        public void OnStatus(JobStatus status) => _last = status;
    }
}
