using Culprit.Processes;

namespace Culprit.TestSupport;

/// <summary>A real git repository with one commit, for tests that need git but no history.</summary>
public static class OneCommitRepository
{
    /// <summary>Makes <paramref name="dir"/> a repository (branch main) whose one commit holds <paramref name="files"/> (name, content); returns the directory.</summary>
    public static async Task<string> CreateAsync(string dir, IReadOnlyDictionary<string, string> files)
    {
        Directory.CreateDirectory(dir);
        await GitAsync(dir, "init", "-q", "-b", "main");
        foreach (var (name, content) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(dir, name), content);
        }
        await GitAsync(dir, "add", "-A");
        await GitAsync(dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
        return dir;
    }

    private static Task<ProcessResult> GitAsync(string dir, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", dir, .. args]));
}
