using Culprit.Processes;

namespace Culprit.Kernel.Build;

/// <summary>Finds programs on a search path and names the Debian package that provides them.</summary>
public static class HostTools
{
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["make"] = "make",
        ["gcc"] = "gcc",
        ["cc"] = "gcc",
        ["flex"] = "flex",
        ["bison"] = "bison",
        ["bc"] = "bc",
        ["perl"] = "perl",
        ["ccache"] = "ccache",
        ["clang"] = "clang",
        ["ld.lld"] = "lld",
        ["llvm-ar"] = "llvm",
        ["git"] = "git",
        ["cpio"] = "cpio",
    };

    /// <summary>The tools every kernel build runs besides the compiler.</summary>
    public static IReadOnlyList<string> BuildEssentials { get; } = ["make", "flex", "bison", "bc", "perl"];

    /// <summary>
    /// The Debian package for a tool name: the table above, versioned compilers (<c>gcc-10</c>,
    /// <c>clang-15</c>) are packages of the same name, paths have none.
    /// </summary>
    public static string? PackageFor(string tool)
    {
        if (tool.Contains('/'))
        {
            return null;
        }
        if (Packages.TryGetValue(tool, out var package))
        {
            return package;
        }
        return tool.StartsWith("gcc-", StringComparison.Ordinal) || tool.StartsWith("clang-", StringComparison.Ordinal) ? tool : null;
    }

    /// <summary>The full path of <paramref name="tool"/> (a name looked up on the path, or a path), or null.</summary>
    public static string? Find(string tool, string? searchPath = null)
    {
        if (tool.Contains('/'))
        {
            return IsExecutable(tool) ? Path.GetFullPath(tool) : null;
        }
        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Like <see cref="Find"/> but throws <see cref="MissingToolException"/> naming the package.</summary>
    public static string Require(string tool, string? searchPath = null) =>
        Find(tool, searchPath) ?? throw new MissingToolException(tool, PackageFor(tool));

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
