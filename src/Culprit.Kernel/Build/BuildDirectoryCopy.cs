using System.Text;
using System.Text.RegularExpressions;
using Culprit.Processes;

namespace Culprit.Kernel.Build;

/// <summary>
/// Makes one worker's O= directory a valid incremental start for another worker whose checkout may
/// hold another commit. kbuild keeps, per object, the command that built it and every file it read,
/// by absolute path when O= is not inside the source tree (our workers' worktree/ and build/ are
/// siblings); make then rebuilds an object whose command changed or whose inputs are newer. So the
/// copy (1) names the new worker's paths in those records, or every object would be rebuilt (its
/// command changed) or, worse, checked against the other worker's files; and (2) sets times that
/// tell make the truth: a file of the new checkout whose content differs from the commit the copy was
/// built from is newer than every copied file, every other file not newer.
/// </summary>
public static class BuildDirectoryCopy
{
    /// <summary>The file in O= naming the commit of the last build that finished there (none while a build runs or after one failed).</summary>
    public const string BuiltCommitFile = ".culprit-built-commit";

    /// <summary>The commit whose finished build <paramref name="output"/> holds, or null (none finished, or one was cut short since).</summary>
    public static string? BuiltCommit(string output)
    {
        var marker = Path.Combine(output, BuiltCommitFile);
        if (UnfinishedMark.ForBuildIn(output).Found || !File.Exists(marker))
        {
            return null;
        }
        var commit = File.ReadAllText(marker).Trim();
        return commit.Length > 0 ? commit : null;
    }

    /// <summary>
    /// The commit of the last finished build in <paramref name="output"/> and when it finished (the
    /// record's time: a build that started and finished since has another), or null.
    /// </summary>
    public static (string Commit, DateTime FinishedUtc)? FinishedBuild(string output)
    {
        var finished = File.GetLastWriteTimeUtc(Path.Combine(output, BuiltCommitFile));
        return BuiltCommit(output) is { } commit ? (commit, finished) : null;
    }

    /// <summary>Records in <paramref name="output"/> that its build of <paramref name="commit"/> finished.</summary>
    public static Task RecordBuiltAsync(string output, string commit, CancellationToken ct) =>
        File.WriteAllTextAsync(Path.Combine(output, BuiltCommitFile), commit + "\n", ct);

    /// <summary>Forgets the last finished build of <paramref name="output"/>: a build starts there.</summary>
    public static void ForgetBuilt(string output) => File.Delete(Path.Combine(output, BuiltCommitFile));

    /// <summary>Copies a build directory whole (modes and times kept; shared blocks where the file system can) to a path that does not exist yet.</summary>
    public static async Task CopyAsync(string from, string to, CancellationToken ct)
    {
        var spec = new ProcessSpec("cp", ["-a", "--reflink=auto", "--", from, to]) { Timeout = TimeSpan.FromHours(1) };
        await ProcessRunner.RunCheckedAsync(spec, ct);
    }

    /// <summary>
    /// Rewrites the copied build records (<c>*.cmd</c>, the generated top Makefile, the <c>source</c>
    /// link) from the old worker's source and output paths to the new one's.
    /// </summary>
    public static void Relocate(string copy, string fromSource, string fromOutput, string toSource, string toOutput)
    {
        // Longer path first, so that one inside the other is rewritten whole.
        var rewrites = new[] { (fromSource, toSource), (fromOutput, toOutput) }
            .OrderByDescending(p => p.Item1.Length)
            .Select(p => (Pattern: PathPattern(p.Item1), Replacement: Latin1(p.Item2).Replace("$", "$$")))
            .ToList();
        foreach (var file in Directory.EnumerateFiles(copy, "*", Files))
        {
            var name = Path.GetFileName(file);
            if (!name.EndsWith(".cmd", StringComparison.Ordinal) && !(name == "Makefile" && Path.GetDirectoryName(file) == copy))
            {
                continue;
            }
            // Latin-1 reads and writes every byte as it is, whatever the encoding of the paths inside.
            var text = File.ReadAllText(file, Encoding.Latin1);
            var rewritten = text;
            foreach (var (pattern, replacement) in rewrites)
            {
                rewritten = pattern.Replace(rewritten, replacement);
            }
            if (!ReferenceEquals(rewritten, text))
            {
                File.WriteAllText(file, rewritten, Encoding.Latin1);
            }
        }
        var link = Path.Combine(copy, "source");
        if (new FileInfo(link).LinkTarget is not null)
        {
            File.Delete(link);
            File.CreateSymbolicLink(link, toSource);
        }
    }

    /// <summary>
    /// Gives the copy's files one time, <see cref="Margin"/> before now, and the checkout's files in
    /// <paramref name="changed"/> (relative paths; the ones that exist) the time now. make rebuilds a
    /// target only when something it depends on is strictly newer: with every copied file at one
    /// time, what was up to date in the other worker's finished build stays so, the checkout's other
    /// files (written before this, their content the copied build's) are not newer, and the changed
    /// ones are, so make rebuilds what they reach and nothing else. The checkout's other files keep
    /// their times, which git's index holds. Returns how many changed files exist here.
    /// </summary>
    public static int SetTimes(string copy, string source, IReadOnlyCollection<string> changed)
    {
        var now = DateTime.UtcNow;
        var settled = now - Margin;
        foreach (var file in Directory.EnumerateFiles(copy, "*", Files))
        {
            File.SetLastWriteTimeUtc(file, settled);
        }
        var touched = 0;
        foreach (var relative in changed)
        {
            var file = Path.Combine(source, relative);
            if (File.Exists(file) && new FileInfo(file).LinkTarget is null)
            {
                File.SetLastWriteTimeUtc(file, now);
                touched++;
            }
        }
        return touched;
    }

    /// <summary>
    /// How far before now the copy's files are set: file systems that keep times to the second (or two,
    /// as FAT does) must still see the changed files as newer than the copy.
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    // Every file, dotfiles included, without following links (a link's target is a file of its own here).
    private static readonly EnumerationOptions Files = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = false,
    };

    // The path where it stands whole: followed by a separator, a delimiter or the end, never by more name.
    private static Regex PathPattern(string path) =>
        new(Regex.Escape(Latin1(path.TrimEnd('/'))) + @"(?=[/\s'"":;,=)]|$)", RegexOptions.CultureInvariant | RegexOptions.Multiline);

    private static string Latin1(string path) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(path.TrimEnd('/')));
}
