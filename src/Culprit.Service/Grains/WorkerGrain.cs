using System.Text.Json;
using Culprit.Core.Domain;
using Culprit.Core.Testing;
using Culprit.Jobs;
using Culprit.Service.Dispatch;
using Culprit.Service.Nodes;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Culprit.Service.Grains;

/// <summary>
/// This node's worker: each call is one step of one commit test, run by the job worker's tester on
/// this node once a slot is free. Reentrant: the steps of many jobs go on here at once, each in its slot.
/// </summary>
[Reentrant, NodePlacement]
public sealed class WorkerGrain(NodeTesters testers, WorkerSlots slots, CallerWatch callers, ILogger<WorkerGrain> logger) : Grain, IWorkerGrain
{
    public Task<string?> PrepareAsync(WorkerTask task, CancellationToken ct) =>
        testers.StepAsync(task.JobId, task.Worker, async (tester, ct) =>
        {
            using var slot = await slots.TakeAsync(Label(task, "checkout"), 1, 0, ct);
            // Which node tests which commit: the cluster's own record of where a job's work went.
            logger.LogInformation("job {Job}: testing commit {Commit} (worker {Worker})", task.JobId, task.Commit, task.Worker);
            return await tester.Tester.PrepareAsync(task.Commit, ct);
        }, ct, callers.DeathOf(task.Caller));

    public Task<string?> KeptBuildAsync(WorkerTask task, CancellationToken ct) =>
        testers.StepAsync(task.JobId, task.Worker, async (tester, ct) =>
        {
            // No slot: it reads one small file, and its answer spares a build.
            if (await tester.Tester.KeptBuildAsync(task.Commit, ct) is not { } kept)
            {
                return null;
            }
            testers.Built(tester.Repository, task.Commit, kept.Signature);
            return JsonSerializer.Serialize(kept, JsonDefaults.Options);
        }, ct, callers.DeathOf(task.Caller));

    public Task<string> BuildAsync(WorkerTask task, CancellationToken ct) =>
        testers.StepAsync(task.JobId, task.Worker, async (tester, ct) =>
        {
            using var slot = await slots.TakeAsync(Label(task, "build"), 1, 0, ct);
            var build = await tester.Tester.BuildAsync(task.Commit, ct);
            testers.Built(tester.Repository, task.Commit, build.Ok ? build.Signature : null);
            return JsonSerializer.Serialize(build, JsonDefaults.Options);
        }, ct, callers.DeathOf(task.Caller));

    public Task<string> RunAsync(WorkerTask task, string build, int runIndex, CancellationToken ct) =>
        testers.StepAsync(task.JobId, task.Worker, async (tester, ct) =>
        {
            var built = JsonSerializer.Deserialize<BuildResult>(build, JsonDefaults.Options)
                ?? throw new InvalidOperationException($"job {task.JobId}: no build of {task.Commit} in the request");
            // A kernel run holds a VM; a test command holds a build slot (it is a process on this node like a build).
            using var slot = tester.Kernel
                ? await slots.TakeAsync(Label(task, $"run #{runIndex}"), 0, 1, ct)
                : await slots.TakeAsync(Label(task, $"run #{runIndex}"), 1, 0, ct);
            RunOutcome run = await tester.Tester.RunAsync(built, runIndex, ct);
            return JsonSerializer.Serialize(run, JsonDefaults.Options);
        }, ct, callers.DeathOf(task.Caller));

    public Task ReleaseAsync(string jobId, int worker) => testers.ReleaseAsync(jobId, worker);

    public Task ForgetAsync(string jobId) => testers.ForgetAsync(jobId);

    /// <summary>What a slot holder is, as <c>GET /api/cluster</c> shows it: the job id first.</summary>
    private static string Label(WorkerTask task, string step) => $"{task.JobId} {step} {task.Commit[..Math.Min(12, task.Commit.Length)]}";
}
