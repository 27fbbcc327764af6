using Culprit.Processes;

namespace Culprit.Git;

/// <summary>
/// One commit's own change: the files it touches against its first parent (a merge too: what it
/// brings onto its first parent), each with git's status letter (A, D, M, T; a rename is a delete
/// and an add; <c>?</c> for a path git had to quote, which the caller cannot match).
/// </summary>
public sealed record OwnChange(string Commit, IReadOnlyList<string> Parents, IReadOnlyList<(char Status, string Path)> Files);

public sealed partial class GitRepository
{
    /// <summary>
    /// Every commit of <c>bad --not goods</c> (newest first) with its own change (<see cref="OwnChange"/>),
    /// from ONE <c>git log --name-status</c> streamed line by line (no capture cap). With
    /// <paramref name="pickaxe"/> (an extended regex), git lists only the files whose diff adds or
    /// removes a line matching it (<c>-G</c>), and only the commits with such a file.
    /// </summary>
    public async Task OwnChangesAsync(string bad, IReadOnlyList<string> goods, string? pickaxe, Action<OwnChange> each, CancellationToken ct = default)
    {
        var args = new List<string> { "-c", "core.quotePath=false", "log", "--format=%x01%H %P", "--name-status", "--no-renames", "--diff-merges=first-parent", "--no-ext-diff" };
        if (pickaxe is not null)
        {
            args.Add("-G" + pickaxe);
        }
        args.Add(bad);
        args.Add("--not");
        args.AddRange(goods);
        args.Add("--");
        string? commit = null;
        string[] parents = [];
        var files = new List<(char, string)>();
        void Flush()
        {
            if (commit is not null)
            {
                each(new OwnChange(commit, parents, files.ToList()));
            }
            files.Clear();
        }
        var result = await ProcessRunner.StreamLinesAsync(Git(Path, [.. args]), (ReadOnlySpan<char> line) =>
        {
            if (line.IsEmpty)
            {
                return;
            }
            if (line[0] == '\u0001')
            {
                Flush();
                var words = line[1..].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                commit = words[0];
                parents = words[1..];
                return;
            }
            var tab = line.IndexOf('\t');
            if (tab < 1 || commit is null)
            {
                throw new GitException($"git log printed an unexpected line: '{line}'");
            }
            var path = line[(tab + 1)..];
            // A quoted path (control characters, quotes, backslashes) is kept as a doubt, not unquoted.
            files.Add((path.StartsWith("\"") ? '?' : line[0], path.ToString()));
        }, ct);
        if (!result.Succeeded)
        {
            throw new GitException($"git log failed: {(result.TimedOut ? "timed out" : result.Tail(1))}");
        }
        Flush();
    }
}
