namespace Culprit.Kernel;

/// <summary>
/// A program or library the kernel build needs is not installed. The message is one line that says
/// which Debian package provides it, e.g. <c>flex not found: install the Debian package flex</c>.
/// </summary>
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
