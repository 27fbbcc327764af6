using System.Text.RegularExpressions;

namespace Culprit.Machines;

/// <summary>The lines Culprit's init prints on the console, which tell how far a run got.</summary>
public static partial class ConsoleMarkers
{
    /// <summary>Printed once init has mounted its file systems, just before the reproducer starts.</summary>
    public const string Booted = "culprit: booted";

    /// <summary>
    /// Printed every few seconds while the reproducer runs: a console that stops showing it belongs to a
    /// kernel that no longer schedules user space.
    /// </summary>
    public const string Alive = "culprit: alive";

    /// <summary>Printed when the reproducer has returned, followed by its exit status.</summary>
    public const string ReproExited = "culprit: repro exited with status ";

    /// <summary>The reproducer's exit status when <paramref name="line"/> is the end marker.</summary>
    public static int? ExitStatus(string line)
    {
        var match = ExitedPattern().Match(line);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"culprit: repro exited with status (\d+)")]
    private static partial Regex ExitedPattern();
}
