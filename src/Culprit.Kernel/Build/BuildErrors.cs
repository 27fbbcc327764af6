using System.Text.RegularExpressions;
using Culprit.Processes;

namespace Culprit.Kernel.Build;

/// <summary>Reads a failed kernel build's output: the lines worth logging, and missing tools.</summary>
public static partial class BuildErrors
{
    private static readonly Dictionary<string, string> CommandPackages = new(StringComparer.Ordinal)
    {
        ["flex"] = "flex",
        ["bison"] = "bison",
        ["bc"] = "bc",
        ["perl"] = "perl",
        ["cpio"] = "cpio",
        ["xz"] = "xz-utils",
        ["lz4"] = "lz4",
        ["lzop"] = "lzop",
        ["zstd"] = "zstd",
        ["openssl"] = "openssl",
        ["pahole"] = "dwarves",
        ["python3"] = "python3",
        ["ccache"] = "ccache",
        ["ld.lld"] = "lld",
        ["llvm-ar"] = "llvm",
        ["llvm-nm"] = "llvm",
        ["llvm-objcopy"] = "llvm",
    };

    /// <summary>
    /// The lines to show for a failed build: the <c>error:</c> (and undefined reference) lines
    /// first, then the last lines of the output, with the source and output directories removed
    /// from paths so that the text does not depend on where the worker builds.
    /// </summary>
    public static string Summarize(string output, IEnumerable<string> directories, int maxErrors = 10, int tail = 5)
    {
        var prefixes = directories.Where(d => d.Length > 0).Select(d => d.TrimEnd('/') + "/").OrderByDescending(d => d.Length).ToList();
        // make's "Entering/Leaving directory" lines only name where the worker builds.
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.Contains(" directory '", StringComparison.Ordinal) || !(l.Contains("Entering", StringComparison.Ordinal) || l.Contains("Leaving", StringComparison.Ordinal)))
            .Select(Clean)
            .ToList();
        var errors = lines.Where(IsErrorLine).Distinct().Take(maxErrors).ToList();
        var last = lines.TakeLast(tail).Where(l => !errors.Contains(l));
        return string.Join('\n', errors.Concat(last));

        string Clean(string line)
        {
            foreach (var p in prefixes)
            {
                line = line.Replace(p, "", StringComparison.Ordinal);
            }
            return line;
        }
    }

    public static bool IsErrorLine(string line) => ErrorLine().IsMatch(line);

    /// <summary>A missing program or library behind a failed build, or null when it is the code's fault.</summary>
    public static MissingToolException? FindMissingTool(string output)
    {
        if (LibElf().IsMatch(output))
        {
            return new MissingToolException("libelf", "libelf-dev", "libelf headers not found (objtool needs them)");
        }
        if (OpenSsl().IsMatch(output))
        {
            return new MissingToolException("openssl", "libssl-dev", "OpenSSL headers not found");
        }
        foreach (Match m in CommandNotFound().Matches(output))
        {
            var tool = m.Groups[1].Value;
            if (CommandPackages.TryGetValue(tool, out var package))
            {
                return new MissingToolException(tool, package);
            }
        }
        return null;
    }

    [GeneratedRegex(@"\berror:|undefined reference to|No rule to make target", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"(gelf\.h|libelf\.h): No such file|please install libelf-dev")]
    private static partial Regex LibElf();

    [GeneratedRegex(@"openssl/[\w./]+\.h: No such file")]
    private static partial Regex OpenSsl();

    [GeneratedRegex(@"(?:^|[\s:])([\w.+-]+): (?:command )?not found", RegexOptions.Multiline)]
    private static partial Regex CommandNotFound();
}
