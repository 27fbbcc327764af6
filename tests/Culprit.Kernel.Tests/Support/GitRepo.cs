using Culprit.Processes;

namespace Culprit.Kernel.Tests.Support;

/// <summary>A small scratch git repository with fixed identities, for synthetic trees.</summary>
internal sealed class GitRepo : IDisposable
{
    private int _tick;

    private GitRepo(string path) => Path = path;

    public string Path { get; }

    public static async Task<GitRepo> CreateAsync()
    {
        var repo = new GitRepo(Directory.CreateTempSubdirectory("culprit-kernel-test-").FullName);
        await repo.GitAsync("init", "-q", "-b", "master");
        return repo;
    }

    public void Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    /// <summary>Commits everything as the given author (committer: keeper@example.org); returns the hash.</summary>
    public async Task<string> CommitAsync(string message, string author = "Ann Author <ann@example.org>")
    {
        await GitAsync("add", "-A");
        var name = author[..author.IndexOf('<')].Trim();
        var email = author[(author.IndexOf('<') + 1)..author.IndexOf('>')];
        var date = $"{1700000000 + 60 * _tick++} +0000";
        var spec = new ProcessSpec("git", ["-C", Path, "commit", "-q", "-m", message])
        {
            Environment = new Dictionary<string, string?>
            {
                ["GIT_AUTHOR_NAME"] = name,
                ["GIT_AUTHOR_EMAIL"] = email,
                ["GIT_AUTHOR_DATE"] = date,
                ["GIT_COMMITTER_NAME"] = "Kim Keeper",
                ["GIT_COMMITTER_EMAIL"] = "keeper@example.org",
                ["GIT_COMMITTER_DATE"] = date,
            },
        };
        await ProcessRunner.RunCheckedAsync(spec);
        return await GitAsync("rev-parse", "HEAD");
    }

    public async Task<string> GitAsync(params string[] arguments) =>
        (await ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", Path, .. arguments]))).StandardOutput.Trim();

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
