using Culprit.Core.Domain;
using Culprit.Core.Testing;
using Culprit.Git;

namespace Culprit.Jobs.Testers;

/// <summary>Picks and creates the tester a job's spec asks for, in the job's work directory.</summary>
public static class Testers
{
    /// <summary>
    /// The machine's kept kernel images beside the job work directories under <paramref name="workRoot"/>
    /// (job ids are hex, so no job's folder has this name): the CLI's jobs of a store and a service node
    /// working in the same folder share them.
    /// </summary>
    public static string ImagesIn(string workRoot) => Path.Combine(workRoot, "images");

    /// <summary>
    /// A tester factory that keeps each job's worktree and build output under <paramref name="workRoot"/>/JOB
    /// and kernel images in <paramref name="imagesDir"/>, shared by every job and worker given the same folder.
    /// </summary>
    public static TesterFactory InWorkRoot(string workRoot, string imagesDir, Func<TextReader, RunOutcome?> crashParser) =>
        async (spec, repo, jobId, ct) =>
        {
            var dir = Path.Combine(workRoot, jobId);
            Directory.CreateDirectory(dir);
            if (spec.Kernel is not null)
            {
                return await KernelTester.CreateAsync(spec, repo, dir, imagesDir, ct);
            }
            return await CommandTester.CreateAsync(
                repo, Path.Combine(dir, "worktree"), spec.Bad,
                spec.Build ?? throw new JobException("--build is required"),
                spec.Test ?? throw new JobException("--test is required"),
                TimeSpan.FromSeconds(spec.RunTimeoutSeconds), spec.BuildTimeout(), crashParser, ct, spec.BuildInputs);
        };
}
