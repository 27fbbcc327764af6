using Culprit.Git;
using Culprit.Kernel.Build;

namespace Culprit.Jobs.Testers;

/// <summary>
/// The finished kernel builds other jobs left beside this one (a job's O= directories stay in the
/// work root after it): a new job's first build starts from a copy of the newest one whose commit this
/// repository has, so that it rebuilds what differs and not the whole kernel, as a kernel developer's
/// or CI machine's one long-lived build directory would.
/// </summary>
public static class OtherJobsBuilds
{
    /// <summary>How many of the newest builds are looked up in the repository before giving up (each is one git call).</summary>
    private const int Tried = 8;

    /// <summary>
    /// A seed for the first worker of the job working in <paramref name="jobDir"/>, from the newest
    /// finished build of another job in the same work root, or null when there is none this repository can use.
    /// </summary>
    public static async Task<BuildDirectorySeed?> SeedAsync(GitRepository repo, string jobDir, string worktree, CancellationToken ct)
    {
        foreach (var (source, output, commit) in Newest(jobDir).Take(Tried))
        {
            try
            {
                await repo.ResolveAsync(commit, ct);
            }
            catch (GitException)
            {
                continue; // another repository's build
            }
            return BuildDirectorySeed.FromFinishedBuild(source, output, KernelTester.ChangedFiles(repo),
                token => GitRepository.RefreshIndexAsync(worktree, token));
        }
        return null;
    }

    /// <summary>Every other job's worker directory (<c>JOB/</c> and <c>JOB/worker-N/</c>) holding a finished build, newest first.</summary>
    public static IEnumerable<(string Source, string Output, string Commit)> Newest(string jobDir)
    {
        var self = Path.GetFullPath(jobDir).TrimEnd('/');
        var root = Path.GetDirectoryName(self);
        if (root is null || !Directory.Exists(root))
        {
            return [];
        }
        var found = new List<(string Source, string Output, string Commit, DateTime Finished)>();
        foreach (var job in SafeDirectories(root, "*").Where(d => Path.GetFullPath(d).TrimEnd('/') != self))
        {
            foreach (var worker in SafeDirectories(job, "worker-*").Prepend(job))
            {
                var output = Path.Combine(worker, "build");
                if (BuildDirectoryCopy.FinishedBuild(output) is { } built)
                {
                    found.Add((Path.Combine(worker, "worktree"), output, built.Commit, built.FinishedUtc));
                }
            }
        }
        return found.OrderByDescending(b => b.Finished).Select(b => (b.Source, b.Output, b.Commit));
    }

    // Another job's folder may go while it is listed (a service node removes finished workers).
    private static IEnumerable<string> SafeDirectories(string dir, string pattern)
    {
        try
        {
            return Directory.GetDirectories(dir, pattern);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
