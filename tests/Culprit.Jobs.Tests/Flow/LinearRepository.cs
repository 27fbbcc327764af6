using System.Globalization;
using Culprit.Processes;

namespace Culprit.Jobs.Tests.Flow;

/// <summary>A real linear git repository of numbered commits (file <c>n</c>), optionally tagged, for whole job flows.</summary>
internal sealed class LinearRepository
{
    private LinearRepository(string path, string[] hashes)
    {
        Path = path;
        Hashes = hashes;
    }

    public string Path { get; }

    /// <summary>Commit hashes, oldest (index 0) first.</summary>
    public string[] Hashes { get; }

    public int IndexOf(string hash) => Array.IndexOf(Hashes, hash);

    /// <summary><paramref name="fileOf"/>: the file commit n writes its number to (default <c>n</c>, one file for all).</summary>
    public static async Task<LinearRepository> CreateAsync(string path, int count, IReadOnlyDictionary<int, string>? tags = null, Func<int, string>? fileOf = null)
    {
        Directory.CreateDirectory(path);
        await Git(path, "init", "-q", "-b", "main");
        var hashes = new string[count];
        for (var i = 0; i < count; i++)
        {
            var file = System.IO.Path.Combine(path, fileOf?.Invoke(i) ?? "n");
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, $"{i}\n");
            await Git(path, "add", "-A");
            var date = (1_700_000_000 + i * 60).ToString(CultureInfo.InvariantCulture) + " +0000";
            await ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", path, "commit", "-q", "-m", $"commit {i}"])
            {
                Environment = new Dictionary<string, string?>
                {
                    ["GIT_AUTHOR_NAME"] = "Dev", ["GIT_AUTHOR_EMAIL"] = "dev@example.com", ["GIT_AUTHOR_DATE"] = date,
                    ["GIT_COMMITTER_NAME"] = "Dev", ["GIT_COMMITTER_EMAIL"] = "dev@example.com", ["GIT_COMMITTER_DATE"] = date,
                },
            });
            hashes[i] = (await Git(path, "rev-parse", "HEAD")).StandardOutput.Trim();
            if (tags is not null && tags.TryGetValue(i, out var tag))
            {
                await Git(path, "tag", tag);
            }
        }
        return new LinearRepository(path, hashes);
    }

    private static Task<ProcessResult> Git(string path, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", path, .. args]));
}
