using System.Globalization;
using System.Text.RegularExpressions;

namespace Culprit.Kernel;

/// <summary>A kernel release as VERSION.PATCHLEVEL (<c>6.1</c>); sublevels do not matter for bisection.</summary>
public readonly partial record struct KernelVersion(int Major, int Minor) : IComparable<KernelVersion>
{
    public int CompareTo(KernelVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(KernelVersion a, KernelVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(KernelVersion a, KernelVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(KernelVersion a, KernelVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(KernelVersion a, KernelVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}";

    /// <summary>Parses <c>X.Y</c> (no <c>v</c>, no sublevel).</summary>
    public static bool TryParse(string text, out KernelVersion version)
    {
        var m = VersionPattern().Match(text.Trim());
        if (m.Success
            && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            version = new KernelVersion(major, minor);
            return true;
        }
        version = default;
        return false;
    }

    public static KernelVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a kernel version like 6.1");

    /// <summary>Reads VERSION and PATCHLEVEL from the top Makefile of a kernel source tree.</summary>
    public static KernelVersion FromMakefile(string sourceDirectory)
    {
        var path = Path.Combine(sourceDirectory, "Makefile");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{sourceDirectory} is not a kernel source tree: it has no Makefile");
        }
        int? major = null, minor = null;
        foreach (var line in File.ReadLines(path).Take(20))
        {
            var m = MakefileAssignment().Match(line);
            if (!m.Success)
            {
                continue;
            }
            var value = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            if (m.Groups[1].Value == "VERSION")
            {
                major ??= value;
            }
            else
            {
                minor ??= value;
            }
        }
        return major is { } x && minor is { } y
            ? new KernelVersion(x, y)
            : throw new InvalidOperationException($"{path} has no VERSION/PATCHLEVEL lines: is this a Linux tree?");
    }

    [GeneratedRegex(@"^(\d+)\.(\d+)$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^(VERSION|PATCHLEVEL)\s*=\s*(\d+)\s*$")]
    private static partial Regex MakefileAssignment();
}
