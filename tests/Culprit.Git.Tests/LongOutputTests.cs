using System.Globalization;
using System.Text;
using Culprit.Processes;

namespace Culprit.Git.Tests;

/// <summary>
/// Git output longer than a process capture keeps (8 Mi characters, cut when it passes 10 Mi) is
/// either streamed whole or refused; a cut text never comes back as an answer.
/// </summary>
public sealed class LongOutputTests(LongOutputTests.ManyLongPaths paths) : IClassFixture<LongOutputTests.ManyLongPaths>
{
    // 3,000 files whose paths are about 3,770 characters long (14 directory levels of 250
    // characters): about 11.3 M characters of -z output, past the capture's cut.
    private const int Files = 3000;

    [Fact]
    public async Task A_diff_longer_than_the_capture_lists_every_file_with_its_own_status()
    {
        var (repo, before, after, names) = await paths.Made.Value;

        var diff = await repo.DiffNamesAsync(before, after);

        Assert.Equal(Files + 1, diff.Count);
        Assert.Equal(names.Select(n => ('A', n)).Append(('M', "a.c")).Order(), diff.Order());
    }

    [Fact]
    public async Task A_commit_changing_more_files_than_the_capture_holds_lists_them_all()
    {
        var (repo, _, after, names) = await paths.Made.Value;

        var changed = await repo.ChangedFilesAsync(after);

        Assert.Equal(names.Append("a.c").Order(StringComparer.Ordinal), changed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_commit_message_longer_than_the_capture_is_an_error_not_a_cut_answer()
    {
        using var temp = new TempDir("culprit-longmsg");
        var dir = temp.Path;
        await StageFirstFileAsync(dir);
        var message = new StringBuilder("subject\n\n");
        while (message.Length < 11_000_000)
        {
            message.Append("a body line of a very long commit message, repeated until it is longer than the capture\n");
        }
        var file = Path.Combine(dir, "..", Path.GetFileName(dir) + ".msg");
        await File.WriteAllTextAsync(file, message.ToString());
        try
        {
            await CommitAsync(dir, "-q", "-F", file);
        }
        finally
        {
            File.Delete(file);
        }
        var repo = await GitRepository.OpenAsync(dir);

        var error = await Assert.ThrowsAsync<GitException>(() => repo.CommitInfoAsync("HEAD"));
        Assert.Equal("git show output exceeded 8388608 characters", error.Message);
    }

    [Fact]
    public async Task A_tag_listing_longer_than_the_capture_finds_the_release_tags_at_its_head()
    {
        using var temp = new TempDir("culprit-longtags");
        var dir = temp.Path;
        await StageFirstFileAsync(dir);
        await CommitAsync(dir, "-q", "-m", "one");
        var first = (await Git(dir, "rev-parse", "HEAD")).StandardOutput.Trim();
        await File.WriteAllTextAsync(Path.Combine(dir, "a.c"), "two\n");
        await CommitAsync(dir, "-q", "-am", "two");
        var head = (await Git(dir, "rev-parse", "HEAD")).StandardOutput.Trim();
        // Releases sort first; 40,000 long other tags after them list about 13 M characters.
        var refs = new StringBuilder("# pack-refs with: peeled fully-peeled sorted \n");
        refs.Append(first).Append(" refs/tags/v1.0\n").Append(first).Append(" refs/tags/v1.1\n");
        var filler = new string('x', 240);
        for (var i = 0; i < 40_000; i++)
        {
            refs.Append(first).Append(CultureInfo.InvariantCulture, $" refs/tags/w-not-a-release-{i:D5}-{filler}\n");
        }
        await File.WriteAllTextAsync(Path.Combine(dir, ".git", "packed-refs"), refs.ToString());
        var repo = await GitRepository.OpenAsync(dir);

        var releases = await repo.ReleaseTagsBeforeAsync(head);

        Assert.Equal([("v1.1", first), ("v1.0", first)], releases);
    }

    /// <summary>One repository for the tests that read it (making 3,000 files takes a while).</summary>
    public sealed class ManyLongPaths : IDisposable
    {
        private readonly TempDir _temp = new("culprit-longdiff");

        public ManyLongPaths() => Made = new(() => ManyLongPathsAsync(_temp.Path));

        public Lazy<Task<(GitRepository Repo, string Before, string After, List<string> Names)>> Made { get; }

        public void Dispose() => _temp.Dispose();
    }

    private static async Task<(GitRepository Repo, string Before, string After, List<string> Names)> ManyLongPathsAsync(string dir)
    {
        await StageFirstFileAsync(dir);
        await CommitAsync(dir, "-q", "-m", "one");
        var deep = string.Join('/', Enumerable.Range(0, 14).Select(i => new string((char)('a' + i), 250)));
        Directory.CreateDirectory(Path.Combine(dir, deep));
        var names = new List<string>();
        for (var i = 0; i < Files; i++)
        {
            // A line end inside a name: only the NUL-separated form keeps it as it is.
            var name = $"{deep}/{i:D5}" + (i == 7 ? "\nline" : "") + new string('x', 200);
            await File.WriteAllTextAsync(Path.Combine(dir, name), "");
            names.Add(name);
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "a.c"), "two\n");
        await Git(dir, "add", "-A");
        await CommitAsync(dir, "-q", "-m", "two");
        var repo = await GitRepository.OpenAsync(dir);
        return (repo, await repo.ResolveAsync("HEAD~1"), await repo.ResolveAsync("HEAD"), names);
    }

    /// <summary>A new repository in <paramref name="dir"/> with a.c ("one") staged for its first commit.</summary>
    private static async Task StageFirstFileAsync(string dir)
    {
        await Git(dir, "init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(dir, "a.c"), "one\n");
        await Git(dir, "add", "-A");
    }

    private static Task<ProcessResult> CommitAsync(string dir, params string[] args) =>
        Git(dir, ["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", .. args]);

    private static Task<ProcessResult> Git(string dir, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", dir, .. args]));
}
