namespace Culprit.Processes;

/// <summary>
/// A program or library Culprit needs on the host is not installed (or is the wrong kind). The
/// message is one line that says which Debian package provides it, e.g.
/// <c>flex not found: install the Debian package flex</c> or
/// <c>/bin/ls is not a statically linked executable: install the Debian package busybox-static</c>.
/// </summary>
/// <param name="tool">The program, library or path that is missing.</param>
/// <param name="package">The Debian package to install, or null when the tool is a path the user gave.</param>
/// <param name="detail">What is wrong, in place of the default "<paramref name="tool"/> not found".</param>
public sealed class MissingToolException(string tool, string? package, string? detail = null)
    : Exception(Describe(tool, package, detail))
{
    public string Tool { get; } = tool;

    /// <summary>The Debian package to install, or null when the tool is a path the user gave.</summary>
    public string? Package { get; } = package;

    private static string Describe(string tool, string? package, string? detail)
    {
        var what = detail ?? $"{tool} not found";
        return package is null ? what : $"{what}: install the Debian package {package}";
    }
}
