using System.Globalization;
using Culprit.Processes;

namespace Culprit.Cli.Tests;

/// <summary>
/// A small linear git repository whose commits carry files saying what a build and a test would
/// find (<c>broken</c>, <c>bug</c>), with the commands that read them.
/// </summary>
internal sealed class ScriptedRepository
{
    public const string Build = "test \"$(cat broken)\" != 1 || { echo 'error: this commit does not build'; exit 2; }";
    public const string Test = "if [ \"$(cat bug)\" = 1 ]; then echo 'TITLE: KASAN: use-after-free in demo_fn'; exit 1; fi";

    private ScriptedRepository(string path, string[] hashes)
    {
        Path = path;
        Hashes = hashes;
    }

    public string Path { get; }

    /// <summary>Commit hashes, oldest (index 0) first.</summary>
    public string[] Hashes { get; }

    /// <summary>
    /// Creates <paramref name="count"/> commits; the bug is in <paramref name="culprit"/> and after; <paramref name="broken"/> do not build;
    /// the file <c>other</c> says 1 from <paramref name="otherBugFrom"/> on (a second, unrelated bug).
    /// </summary>
    public static async Task<ScriptedRepository> CreateAsync(
        string path, int count, int culprit, IEnumerable<int>? broken = null, IReadOnlyDictionary<int, string>? tags = null, int? otherBugFrom = null)
    {
        var brokenSet = (broken ?? []).ToHashSet();
        Directory.CreateDirectory(path);
        await Git(path, "init", "-q", "-b", "main");
        var hashes = new string[count];
        for (var i = 0; i < count; i++)
        {
            await File.WriteAllTextAsync(System.IO.Path.Combine(path, "bug"), i >= culprit ? "1\n" : "0\n");
            await File.WriteAllTextAsync(System.IO.Path.Combine(path, "broken"), brokenSet.Contains(i) ? "1\n" : "0\n");
            await File.WriteAllTextAsync(System.IO.Path.Combine(path, "n"), $"{i}\n");
            await File.WriteAllTextAsync(System.IO.Path.Combine(path, "other"), i >= otherBugFrom ? "1\n" : "0\n");
            await Git(path, "add", "-A");
            hashes[i] = await TestGit.CommitAsync(path, $"change number {i}", TestGit.Identity(i, "Dev One", "dev1@example.com", "Dev Two", "dev2@example.com"));
            if (tags is not null && tags.TryGetValue(i, out var tag))
            {
                await Git(path, "tag", tag);
            }
        }
        return new ScriptedRepository(path, hashes);
    }

    private static Task<ProcessResult> Git(string path, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", path, .. args]));
}
