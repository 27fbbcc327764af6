using System.Globalization;
using System.Text;
using Culprit.Processes;

namespace Culprit.Git.Tests;

/// <summary>
/// A generated git history (linear or merge-heavy: <see cref="RandomHistory"/>) with one culprit and
/// some broken builds, written with <c>git fast-import</c>. Every commit's tree says what a test would find:
/// <c>bug</c> is 1 in the culprit and its descendants, <c>broken</c> is 1 where the build fails.
/// </summary>
public sealed class GeneratedRepository
{
    private GeneratedRepository(string path, List<int[]> parents, int culprit, HashSet<int> broken, bool[] hasBug)
    {
        Path = path;
        Parents = parents;
        Culprit = culprit;
        Broken = broken;
        HasBug = hasBug;
    }

    public string Path { get; }
    public List<int[]> Parents { get; }
    public int Culprit { get; }
    public HashSet<int> Broken { get; }
    public bool[] HasBug { get; }
    public int Count => Parents.Count;

    /// <summary>Hash of commit number i (0 is the root, the last one is the tip).</summary>
    public string[] Hashes { get; private set; } = [];

    public static async Task<GeneratedRepository> CreateAsync(string path, int seed, int commits, double mergeRate, double brokenRate)
    {
        var made = RandomHistory.Generate(new Random(seed), commits, mergeRate, brokenRate);
        var repo = new GeneratedRepository(path, [.. made.Parents], made.Culprit, made.Broken, made.HasBug);
        await repo.WriteAsync();
        return repo;
    }

    private async Task WriteAsync()
    {
        Directory.CreateDirectory(Path);
        await Git("init", "-q", "-b", "main");
        var stream = new StringBuilder();
        for (var i = 0; i < Count; i++)
        {
            var time = 1_600_000_000 + i * 60;
            var message = $"commit {i}\n";
            stream.Append("commit refs/heads/main\n");
            stream.Append(CultureInfo.InvariantCulture, $"mark :{i + 1}\n");
            stream.Append(CultureInfo.InvariantCulture, $"author Gen <gen@example.com> {time} +0000\n");
            stream.Append(CultureInfo.InvariantCulture, $"committer Gen <gen@example.com> {time} +0000\n");
            stream.Append(CultureInfo.InvariantCulture, $"data {Encoding.UTF8.GetByteCount(message)}\n{message}");
            if (Parents[i].Length > 0)
            {
                stream.Append(CultureInfo.InvariantCulture, $"from :{Parents[i][0] + 1}\n");
                foreach (var p in Parents[i].Skip(1))
                {
                    stream.Append(CultureInfo.InvariantCulture, $"merge :{p + 1}\n");
                }
            }
            stream.Append("deleteall\n");
            AppendFile(stream, "bug", HasBug[i] ? "1\n" : "0\n");
            AppendFile(stream, "broken", Broken.Contains(i) ? "1\n" : "0\n");
            AppendFile(stream, "id", $"{i}\n");
            stream.Append('\n');
        }
        for (var i = 0; i < Count; i++)
        {
            stream.Append(CultureInfo.InvariantCulture, $"reset refs/tags/c{i}\nfrom :{i + 1}\n\n");
        }
        stream.Append(CultureInfo.InvariantCulture, $"reset refs/heads/main\nfrom :{Count}\n\n");
        await ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", Path, "fast-import", "--quiet"]) { StandardInput = stream.ToString() });
        await Git("checkout", "-q", "-f", "main");
        var marks = await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", Path, "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/tags/"));
        var hashes = new string[Count];
        foreach (var line in marks.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            hashes[int.Parse(parts[0][1..], CultureInfo.InvariantCulture)] = parts[1];
        }
        Hashes = hashes;
        // The per-commit tags were only a way to learn the hashes; release-tag logic must not see them.
        await ProcessRunner.RunCheckedAsync(new ProcessSpec("sh", ["-c", "git tag -l 'c*' | xargs git tag -d >/dev/null"]) { WorkingDirectory = Path });
    }

    private static void AppendFile(StringBuilder s, string name, string content) =>
        s.Append(CultureInfo.InvariantCulture, $"M 644 inline {name}\ndata {Encoding.UTF8.GetByteCount(content)}\n{content}");

    private Task<ProcessResult> Git(params string[] args) => ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", Path, .. args]));

    public int IndexOf(string hash) => Array.IndexOf(Hashes, hash);
}
