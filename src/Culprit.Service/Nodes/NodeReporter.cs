using Culprit.Service.Grains;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Culprit.Service.Nodes;

/// <summary>
/// This node's background duties once its silo is up: first it starts the jobs the store says are
/// unfinished (a restarted node resumes them; a grain already running one ignores the call) and removes
/// the worker directories of jobs that ended meanwhile, then it
/// reports its capacity and load to the cluster grain every few seconds.
/// </summary>
public sealed class NodeReporter(
    IGrainFactory grains, WorkerSlots slots, NodeTesters testers, JobStores stores, ILocalSiloDetails silo, ServiceOptions options,
    IHostApplicationLifetime lifetime, IServer server, ILogger<NodeReporter> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grain calls need the silo started, which the host does before it reports "started".
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        await ResumeUnfinishedAsync();
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                await grains.GetGrain<IClusterGrain>(0).ReportAsync(Status());
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("could not report this node's status: {Message}", ex.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public NodeStatus Status()
    {
        var (running, vmsInUse, queued) = slots.Snapshot();
        // The addresses Kestrel listens on (a port 0 of --urls resolved), else what was asked for.
        var urls = server.Features.Get<IServerAddressesFeature>()?.Addresses is { Count: > 0 } addresses ? string.Join(';', addresses) : options.Urls;
        return new NodeStatus(silo.Name, silo.SiloAddress.ToString(), urls, slots.Builds, slots.Vms, running, vmsInUse, queued, DateTimeOffset.UtcNow,
            slots.BuildsInUse, testers.Repositories, testers.RecentBuilds);
    }

    private async Task ResumeUnfinishedAsync()
    {
        try
        {
            using var store = stores.Open();
            // What this node kept of jobs that ended while it was down goes first.
            testers.RemoveLeftovers(store);
            foreach (var job in store.ListJobs().Where(j => JobStates.IsActive(j.State)))
            {
                logger.LogInformation("job {Job} is {State} in the store: resuming it unless a node runs it already", job.Id, job.State);
                await grains.GetGrain<IJobGrain>(job.Id).StartAsync();
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "could not resume the unfinished jobs");
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
