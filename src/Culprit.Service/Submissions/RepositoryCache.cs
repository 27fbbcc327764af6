using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Culprit.Jobs;
using Culprit.Processes;

namespace Culprit.Service.Submissions;

/// <summary>
/// A job's <c>--repo</c> given as a URL is fetched into this node's cache (one clone per URL, its
/// branches and tags mirrored, HEAD following the remote's), and the job runs on that clone. A path
/// is used as it is: it must be reachable from the node.
/// </summary>
public sealed class RepositoryCache(string dir)
{
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromHours(1);
    private static readonly string[] Schemes = ["http", "https", "git", "ssh", "file"];
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="repo"/> is a URL git fetches (<c>scheme://…</c> of a plain transport, or
    /// scp-like <c>user@host:path</c>). Other transports (<c>ext::</c> runs commands) are not URLs here.
    /// </summary>
    public static bool IsUrl(string repo) =>
        Uri.TryCreate(repo, UriKind.Absolute, out var uri) && repo.Contains("://", StringComparison.Ordinal)
            ? Schemes.Contains(uri.Scheme, StringComparer.Ordinal)
            : !repo.StartsWith('/') && !repo.StartsWith('.') && repo.IndexOf('@') is > 0 and var at && repo.IndexOf(':', at) > at + 1;

    /// <summary>Where this node finds a job's repository: its URL fetched into this cache, else the stored path.</summary>
    public Task<string> PathOfAsync(JobSpec spec, CancellationToken ct) =>
        spec.Origin is { } url && IsUrl(url) ? FetchAsync(url, ct) : Task.FromResult(spec.Repo);

    /// <summary>The local clone of <paramref name="url"/>, fetched now.</summary>
    public async Task<string> FetchAsync(string url, CancellationToken ct)
    {
        if (url.StartsWith('-'))
        {
            throw new JobException($"not a repository URL: {url}");
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..16];
        var clone = Path.Combine(dir, hash);
        var gate = _locks.GetOrAdd(clone, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(dir);
            if (!Directory.Exists(Path.Combine(clone, ".git")))
            {
                await GitAsync(ct, "init", "-q", clone);
            }
            // Branches and tags as the remote has them; --update-head-ok: HEAD's branch is among them.
            await GitAsync(ct, "-C", clone, "fetch", "--quiet", "--prune", "--update-head-ok", url,
                "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*");
            var head = await GitAsync(ct, "ls-remote", "--symref", url, "HEAD");
            var line = head.Split('\n').FirstOrDefault(l => l.StartsWith("ref: ", StringComparison.Ordinal));
            if (line is not null)
            {
                await GitAsync(ct, "-C", clone, "symbolic-ref", "HEAD", line["ref: ".Length..].Split('\t')[0]);
            }
            return clone;
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<string> GitAsync(CancellationToken ct, params string[] args)
    {
        var spec = ProcessSpec.Of("git", args) with
        {
            Timeout = FetchTimeout,
            Environment = new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0" },
        };
        var result = await ProcessRunner.RunAsync(spec, ct);
        if (!result.Succeeded)
        {
            var verb = args[0] == "-C" ? args[2] : args[0];
            throw new JobException($"git {verb} failed: {result.Tail(3).Trim().ReplaceLineEndings(" ")}");
        }
        return result.StandardOutput;
    }
}
