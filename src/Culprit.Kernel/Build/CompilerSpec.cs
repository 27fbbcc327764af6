using Culprit.Processes;

namespace Culprit.Kernel.Build;

/// <summary>
/// A compiler as the user named it: <c>gcc</c>, <c>gcc-10</c>, <c>clang</c>, <c>clang-15</c> or a
/// path. Clang builds use the whole LLVM toolchain (<c>LLVM=1</c>), as the kernel documents.
/// </summary>
public sealed record CompilerSpec(string Command)
{
    public static CompilerSpec Gcc { get; } = new("gcc");

    public bool IsClang => Path.GetFileName(Command).StartsWith("clang", StringComparison.Ordinal);

    public static CompilerSpec Parse(string text)
    {
        var command = text.Trim();
        if (command.Length == 0 || command.Any(char.IsWhiteSpace))
        {
            throw new KernelInputException($"'{text}' is not a compiler: give gcc, clang, a name like gcc-10 or a path");
        }
        return new CompilerSpec(command);
    }

    /// <summary>
    /// The first line of <c>CC --version</c>, e.g. <c>gcc (Debian 12.2.0-14+deb12u1) 12.2.0</c>: what
    /// the log prints after "testing commit X with".
    /// </summary>
    public async Task<string> DescribeAsync(string? searchPath = null, CancellationToken cancellationToken = default)
    {
        var path = HostTools.Find(Command, searchPath)
            ?? throw new MissingToolException(Command, HostTools.PackageFor(Command), Command.Contains('/') ? $"compiler {Command} not found" : null);
        var result = await ProcessRunner.RunAsync(
            ProcessSpec.Of(path, "--version") with { Timeout = TimeSpan.FromSeconds(30), Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C" } },
            cancellationToken);
        var first = result.StandardOutput.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        if (!result.Succeeded || first is null)
        {
            throw new InvalidOperationException($"{Command} --version failed: {result.Tail(3).Replace('\n', ' ')}");
        }
        return first;
    }

    /// <summary>Whether the compiler takes <paramref name="option"/> (preprocessing an empty file with it succeeds).</summary>
    public async Task<bool> AcceptsAsync(string option, string? searchPath = null, CancellationToken cancellationToken = default)
    {
        var path = HostTools.Find(Command, searchPath);
        if (path is null)
        {
            return false;
        }
        var result = await ProcessRunner.RunAsync(
            ProcessSpec.Of(path, option, "-E", "-x", "c", "-o", "/dev/null", "/dev/null") with { Timeout = TimeSpan.FromSeconds(30) },
            cancellationToken);
        return result.Succeeded;
    }

    /// <summary>
    /// The make variables that select this compiler (and ccache) for the kernel build. The host
    /// programs (fixdep, kconfig, objtool, ...) go through ccache too: a fresh O= directory rebuilds
    /// them all, and they are a large part of a build whose kernel objects all hit the cache.
    /// </summary>
    public IReadOnlyList<string> MakeVariables(bool ccache)
    {
        var cc = ccache ? $"ccache {Command}" : Command;
        return IsClang
            ? ["LLVM=1", $"CC={cc}", $"HOSTCC={cc}"]
            : [$"CC={cc}", $"HOSTCC={cc}"];
    }

    /// <summary>
    /// For a compiler given as a path, its directory: it goes first on PATH so that a clang's own
    /// ld.lld and llvm-* tools (or a gcc's binutils) are the ones used.
    /// </summary>
    public string? ToolchainDirectory => Command.Contains('/') ? Path.GetDirectoryName(Path.GetFullPath(Command)) : null;

    public override string ToString() => Command;
}
