using Culprit.Core.Domain;
using Culprit.Core.Testing;
using Culprit.Git;

namespace Culprit.Jobs.Testers;

/// <summary>Picks and creates the tester a job's spec asks for, in the job's work directory.</summary>
public static class Testers
{
    /// <summary>A tester factory that keeps each job's worktree and build output under <paramref name="workRoot"/>/JOB.</summary>
    public static TesterFactory InWorkRoot(string workRoot, Func<TextReader, RunOutcome?> crashParser) =>
        async (spec, repo, jobId, ct) =>
        {
            var dir = Path.Combine(workRoot, jobId);
            Directory.CreateDirectory(dir);
            if (spec.Kernel is not null)
            {
                return await KernelTester.CreateAsync(spec, repo, dir, ct);
            }
            return await CommandTester.CreateAsync(
                repo, Path.Combine(dir, "worktree"), spec.Bad,
                spec.Build ?? throw new JobException("--build is required"),
                spec.Test ?? throw new JobException("--test is required"),
                TimeSpan.FromSeconds(spec.RunTimeoutSeconds), spec.BuildTimeout(), crashParser, ct, spec.BuildInputs);
        };
}
