using Culprit.Git;
using Culprit.Jobs.Testers;
using Culprit.Kernel.Build;

namespace Culprit.Jobs.Tests;

/// <summary>
/// A new kernel job starts its first O= directory from the newest finished build another job left in
/// the same work root (a worker's <c>build/</c>, the first worker's in <c>JOB/</c>, the others' in
/// <c>JOB/worker-N/</c>), never from its own, from one a build is running in, or from another repository's.
/// </summary>
public sealed class OtherJobsBuildsTests
{
    [Fact]
    public void Finished_builds_of_other_jobs_are_listed_newest_first()
    {
        using var temp = new TempDir("culprit-other-builds");
        var root = temp.Sub("work");
        var self = Path.Combine(root, "cafe01");
        Finished(Path.Combine(root, "aaaa01"), "1111111111111111111111111111111111111111", hoursAgo: 5);
        Finished(Path.Combine(root, "bbbb02", "worker-2"), "2222222222222222222222222222222222222222", hoursAgo: 1);
        Finished(Path.Combine(root, "bbbb02"), "3333333333333333333333333333333333333333", hoursAgo: 3);
        Finished(self, "4444444444444444444444444444444444444444", hoursAgo: 0);
        // A build running (its record of the last finished one is removed when a build starts).
        Directory.CreateDirectory(Path.Combine(root, "dddd04", "build"));
        Directory.CreateDirectory(Path.Combine(root, "images"));

        var found = OtherJobsBuilds.Newest(self).ToList();

        Assert.Equal(
        [
            (Path.Combine(root, "bbbb02", "worker-2", "worktree"), Path.Combine(root, "bbbb02", "worker-2", "build"), "2222222222222222222222222222222222222222"),
            (Path.Combine(root, "bbbb02", "worktree"), Path.Combine(root, "bbbb02", "build"), "3333333333333333333333333333333333333333"),
            (Path.Combine(root, "aaaa01", "worktree"), Path.Combine(root, "aaaa01", "build"), "1111111111111111111111111111111111111111"),
        ], found);
    }

    [Fact]
    public async Task Only_a_build_of_a_commit_the_repository_has_seeds_the_job()
    {
        using var temp = new TempDir("culprit-other-builds");
        var repo = await RepositoryAsync(temp.Sub("repo"));
        var head = await repo.ResolveAsync("HEAD");
        var root = temp.Sub("work");
        var self = Path.Combine(root, "cafe01");
        // The newest is another repository's build: passed over.
        Finished(Path.Combine(root, "aaaa01"), "1111111111111111111111111111111111111111", hoursAgo: 1);
        Assert.Null(await OtherJobsBuilds.SeedAsync(repo, self, Path.Combine(self, "worktree"), CancellationToken.None));

        Finished(Path.Combine(root, "bbbb02"), head, hoursAgo: 2);

        Assert.NotNull(await OtherJobsBuilds.SeedAsync(repo, self, Path.Combine(self, "worktree"), CancellationToken.None));
    }

    [Fact]
    public async Task A_build_recorded_again_is_another_finished_build()
    {
        using var temp = new TempDir("culprit-other-builds");
        var output = temp.Sub("build");
        Directory.CreateDirectory(output);
        Assert.Null(BuildDirectoryCopy.FinishedBuild(output));
        await BuildDirectoryCopy.RecordBuiltAsync(output, "1111111111111111111111111111111111111111", CancellationToken.None);
        File.SetLastWriteTimeUtc(Path.Combine(output, BuildDirectoryCopy.BuiltCommitFile), DateTime.UtcNow.AddMinutes(-1));
        var first = BuildDirectoryCopy.FinishedBuild(output);

        BuildDirectoryCopy.ForgetBuilt(output);
        Assert.Null(BuildDirectoryCopy.FinishedBuild(output));
        await BuildDirectoryCopy.RecordBuiltAsync(output, "1111111111111111111111111111111111111111", CancellationToken.None);

        Assert.NotNull(first);
        Assert.NotEqual(first, BuildDirectoryCopy.FinishedBuild(output));
    }

    private static void Finished(string workerDir, string commit, int hoursAgo)
    {
        var output = Path.Combine(workerDir, "build");
        Directory.CreateDirectory(output);
        var record = Path.Combine(output, BuildDirectoryCopy.BuiltCommitFile);
        File.WriteAllText(record, commit + "\n");
        File.SetLastWriteTimeUtc(record, DateTime.UtcNow.AddHours(-hoursAgo));
    }

    private static async Task<GitRepository> RepositoryAsync(string dir) =>
        await GitRepository.OpenAsync(await OneCommitRepository.CreateAsync(dir, new Dictionary<string, string> { ["f"] = "v1\n" }));
}
