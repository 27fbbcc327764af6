using System.Collections.Concurrent;
using Culprit.Core.Domain;
using Culprit.Core.Testing;

namespace Culprit.Jobs.Tests.Flow;

/// <summary>
/// The tester seam, scripted: every commit builds, and each run's outcome is what
/// <see cref="Run"/> says for the commit's index in the repository. Counts the runs per commit.
/// </summary>
internal sealed class ScriptedTester(LinearRepository repo) : ICommitTester
{
    public Func<int, RunOutcome> Run { get; set; } = _ => RunOutcome.Ok();

    public string? SetupNote { get; set; }

    public ConcurrentDictionary<int, int> RunsPerCommit { get; } = new();

    public int ParallelRuns => 1;

    public Task<string?> PrepareAsync(string commit, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task<BuildResult> BuildAsync(string commit, CancellationToken cancellationToken) =>
        Task.FromResult(new BuildResult(commit, true, null, null, null, 0));

    public Task<RunOutcome> RunAsync(BuildResult build, int runIndex, CancellationToken cancellationToken)
    {
        var index = repo.IndexOf(build.Commit);
        RunsPerCommit.AddOrUpdate(index, 1, (_, n) => n + 1);
        return Task.FromResult(Run(index));
    }

    /// <summary>Another worker's tester: the same script and counts.</summary>
    public Task<ICommitTester> ForWorkerAsync(int worker, CancellationToken cancellationToken) => Task.FromResult<ICommitTester>(this);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
