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
    /// (<see cref="BuildLogReader"/> reads a build's output this way as it arrives.)
    /// </summary>
    public static string Summarize(string output, IEnumerable<string> directories, int maxErrors = 10, int tail = 5) =>
        Read(output, new BuildLogReader(directories, maxErrors, tail)).Summary;

    public static bool IsErrorLine(string line) => ErrorLine().IsMatch(line);

    /// <summary>A missing program or library behind a failed build, or null when it is the code's fault.</summary>
    public static MissingToolException? FindMissingTool(string output) => Read(output, new BuildLogReader([])).MissingTool;

    private static BuildLogReader Read(string output, BuildLogReader reader)
    {
        foreach (var line in output.Split('\n'))
        {
            reader.Add(line);
        }
        return reader;
    }

    /// <summary>What one line of a build's output says is missing, if anything.</summary>
    internal static MissingTool? MissingIn(string line)
    {
        if (LibElf().IsMatch(line))
        {
            return new MissingTool(2, new MissingToolException("libelf", "libelf-dev", "libelf headers not found (objtool needs them)"));
        }
        if (OpenSsl().IsMatch(line))
        {
            return new MissingTool(1, new MissingToolException("openssl", "libssl-dev", "OpenSSL headers not found"));
        }
        foreach (Match m in CommandNotFound().Matches(line))
        {
            if (CommandPackages.TryGetValue(m.Groups[1].Value, out var package))
            {
                return new MissingTool(0, new MissingToolException(m.Groups[1].Value, package));
            }
        }
        return null;
    }

    /// <summary>
    /// A missing tool a line named, and its rank: missing headers outrank a missing command wherever
    /// they appear in the output (libelf's first), and among equals the first named wins.
    /// </summary>
    internal sealed record MissingTool(int Rank, MissingToolException Exception);

    [GeneratedRegex(@"\berror:|undefined reference to|No rule to make target", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"(gelf\.h|libelf\.h): No such file|please install libelf-dev")]
    private static partial Regex LibElf();

    [GeneratedRegex(@"openssl/[\w./]+\.h: No such file")]
    private static partial Regex OpenSsl();

    [GeneratedRegex(@"(?:^|[\s:])([\w.+-]+): (?:command )?not found", RegexOptions.Multiline)]
    private static partial Regex CommandNotFound();
}
