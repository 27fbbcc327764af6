using Culprit.Processes;

namespace Culprit.Git.Tests;

/// <summary>
/// A Linux-shaped history from <c>scripts/mkbighistory.sh</c> (a mainline merging side branches,
/// about 12 % merges): tags bh-good (the root) and bh-bad (the head); the file <c>bug</c> exists in
/// the culprit and its descendants.
/// </summary>
public sealed class BigHistory
{
    private BigHistory(string path, string bad, string good, string culprit)
    {
        Path = path;
        Bad = bad;
        Good = good;
        Culprit = culprit;
    }

    public string Path { get; }
    public string Bad { get; }
    public string Good { get; }
    public string Culprit { get; }

    public static async Task<BigHistory> CreateAsync(string path, int commits, int bugAt = 0, int seed = 1)
    {
        var script = System.IO.Path.Combine(RepositoryRoot(), "scripts", "mkbighistory.sh");
        await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("bash", script, $"{commits}", path, $"{bugAt}", $"{seed}") with { Timeout = TimeSpan.FromMinutes(10) });
        return await OpenAsync(path);
    }

    /// <summary>
    /// A history kept between test runs under ~/.cache/culprit-test (made once: 150k commits take
    /// about 30 s), written elsewhere first so that an interrupted run leaves no half-made cache.
    /// </summary>
    public static async Task<BigHistory> CachedAsync(int commits, int seed = 1)
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? System.IO.Path.GetTempPath();
        var cache = System.IO.Path.Combine(home, ".cache", "culprit-test");
        var path = System.IO.Path.Combine(cache, $"bighistory-{commits}-{seed}");
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(cache);
            var partial = path + $".partial-{Environment.ProcessId}";
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
            await CreateAsync(partial, commits, 0, seed);
            Directory.Move(partial, path);
        }
        return await OpenAsync(path);
    }

    public bool HasBug(string commit) =>
        ProcessRunner.RunAsync(ProcessSpec.Of("git", "-C", Path, "cat-file", "-e", $"{commit}:bug")).GetAwaiter().GetResult().ExitCode == 0;

    private static async Task<BigHistory> OpenAsync(string path)
    {
        async Task<string> Resolve(string rev) =>
            (await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", path, "rev-parse", rev + "^{commit}"))).StandardOutput.Trim();
        return new BigHistory(path, await Resolve("bh-bad"), await Resolve("bh-good"), await Resolve("bh-culprit"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Culprit.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository root (Culprit.slnx) above " + AppContext.BaseDirectory);
    }
}
