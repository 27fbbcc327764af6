using System.Globalization;
using Culprit.Processes;

namespace Culprit.Cli.Tests;

/// <summary>
/// git for the tests' repositories: a command in one, and commits at fixed dates (one an hour from
/// a fixed start), so a repository made twice has the same hashes whatever the clock says.
/// </summary>
internal static class TestGit
{
    public static Task<ProcessResult> RunAsync(string path, params string[] args) => RunAsync(path, null, args);

    public static Task<ProcessResult> RunAsync(string path, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", path, .. args]) { Environment = environment ?? new Dictionary<string, string?>() });

    /// <summary>The author and committer of the <paramref name="hour"/>-th commit (the committer is the author unless named).</summary>
    public static Dictionary<string, string?> Identity(int hour, string author = "Dev", string authorEmail = "dev@example.com",
        string? committer = null, string? committerEmail = null)
    {
        var date = (1_700_000_000 + hour * 3600).ToString(CultureInfo.InvariantCulture) + " +0000";
        return new()
        {
            ["GIT_AUTHOR_NAME"] = author, ["GIT_AUTHOR_EMAIL"] = authorEmail, ["GIT_AUTHOR_DATE"] = date,
            ["GIT_COMMITTER_NAME"] = committer ?? author, ["GIT_COMMITTER_EMAIL"] = committerEmail ?? authorEmail, ["GIT_COMMITTER_DATE"] = date,
        };
    }

    /// <summary>Commits what is staged as <paramref name="identity"/>; returns the new commit's hash.</summary>
    public static async Task<string> CommitAsync(string path, string subject, IReadOnlyDictionary<string, string?> identity)
    {
        await RunAsync(path, identity, "commit", "-q", "-m", subject);
        return await HeadAsync(path);
    }

    /// <summary>
    /// A new repository on main of <paramref name="count"/> commits, one line appended to one file each
    /// (<paramref name="change"/> of the commit's number), committed as <see cref="Identity"/> of its number
    /// so the hashes are the same on every run; returns the hashes, oldest first.
    /// </summary>
    public static async Task<List<string>> LinearHistoryAsync(string path, int count, Func<int, (string File, string Line)> change)
    {
        Directory.CreateDirectory(path);
        await RunAsync(path, "init", "-q", "-b", "main");
        var hashes = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (file, line) = change(i);
            await File.AppendAllTextAsync(Path.Combine(path, file), line + "\n");
            await RunAsync(path, "add", "-A");
            hashes.Add(await CommitAsync(path, $"change {i}", Identity(i)));
        }
        return hashes;
    }

    public static async Task<string> HeadAsync(string path) => (await RunAsync(path, "rev-parse", "HEAD")).StandardOutput.Trim();
}
