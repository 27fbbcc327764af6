namespace Culprit.Machines;

/// <summary>
/// A host program kernel mode needs is not there (or is the wrong kind); the message says which
/// Debian package provides it, e.g. <c>qemu-system-x86_64 not found: install the Debian package qemu-system-x86</c>.
/// </summary>
public sealed class MissingToolException(string tool, string debianPackage, string problem)
    : Exception($"{tool} {problem}: install the Debian package {debianPackage}")
{
    public string Tool { get; } = tool;

    public string DebianPackage { get; } = debianPackage;
}
