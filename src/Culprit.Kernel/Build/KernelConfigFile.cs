using System.Text;
using System.Text.RegularExpressions;

namespace Culprit.Kernel.Build;

/// <summary>The user's kernel config, checked once, and the copy each build starts from.</summary>
public static partial class KernelConfigFile
{
    /// <summary>
    /// Reads and checks a .config: every line must be blank, a comment or <c>CONFIG_X=value</c>.
    /// Anything else is refused with a one-line <see cref="KernelInputException"/> (olddefconfig
    /// would only warn and build something the user did not ask for).
    /// </summary>
    public static string Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new KernelInputException($"kernel config {path} not found");
        }
        var text = File.ReadAllText(path);
        var lineNumber = 0;
        var settings = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (!Setting().IsMatch(line))
            {
                var shown = line.Length > 60 ? line[..60] + "…" : line;
                throw new KernelInputException($"{path}:{lineNumber}: not a kernel config line: '{shown}'");
            }
            settings++;
        }
        if (settings == 0)
        {
            throw new KernelInputException($"{path} is not a kernel config: it sets no CONFIG_ option");
        }
        return text;
    }

    /// <summary>
    /// The config as a build uses it: CONFIG_LOCALVERSION_AUTO off, because it makes the kernel's
    /// version string (and so the image) depend on the git hash of the commit.
    /// </summary>
    public static string ForBuild(string text)
    {
        var result = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("CONFIG_LOCALVERSION_AUTO=", StringComparison.Ordinal) || trimmed == "# CONFIG_LOCALVERSION_AUTO is not set")
            {
                continue;
            }
            result.Append(line.TrimEnd('\r')).Append('\n');
        }
        while (result.Length >= 2 && result[^1] == '\n' && result[^2] == '\n')
        {
            result.Length--;
        }
        result.Append("# CONFIG_LOCALVERSION_AUTO is not set\n");
        return result.ToString();
    }

    [GeneratedRegex(@"^CONFIG_[A-Za-z0-9_]+=\S.*$")]
    private static partial Regex Setting();
}
