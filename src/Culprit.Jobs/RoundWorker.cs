namespace Culprit.Jobs;

/// <summary>One worker of a job's rounds: its tester's runner (own worktree and build) and its log.</summary>
internal sealed record RoundWorker(CommitTestRunner Tests, WorkerLog Log);
