using System.Net;
using Culprit.Jobs;

namespace Culprit.Service.Http;

/// <summary>
/// Jobs run the submitter's build and test commands, so an open port is remote code execution: the
/// service listens on loopback unless it has a token, and then every request must carry it.
/// </summary>
public static class ListenAddresses
{
    /// <summary>Throws when <paramref name="options"/> listen beyond this machine without a token.</summary>
    public static void Check(ServiceOptions options)
    {
        foreach (var url in Split(options.Urls))
        {
            if (!IsLoopback(url) && options.Token is null)
            {
                throw new UsageException($"refusing to listen on {url} without --token-file: jobs run the submitter's commands, so an open port would let anyone run commands here");
            }
        }
    }

    public static IReadOnlyList<string> Split(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether <paramref name="url"/> names only this machine (<c>localhost</c> or a loopback address).</summary>
    public static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://wildcard.invalid").Replace("://+", "://wildcard.invalid"), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--urls: not an http(s) address: {url}");
        }
        return IsLoopbackHost(uri.Host);
    }

    /// <summary>A host name (as in a URL or a request's Host header) that means this machine only.</summary>
    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
