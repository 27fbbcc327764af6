using System.Text.RegularExpressions;

namespace Culprit.Machines;

/// <summary>
/// The reason in QEMU's error output, short enough for one log line: the <c>error:</c> line when there
/// is one (not the assertion that follows it), else the first line that is not a warning, without
/// QEMU's program and option prefixes.
/// </summary>
public static partial class QemuErrorText
{
    public static string? Reason(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(StripPrefixes)
            .Where(l => l.Length > 0)
            .ToList();
        var line = lines.FirstOrDefault(l => l.StartsWith("error: ", StringComparison.Ordinal))
            ?? lines.FirstOrDefault(l => !l.StartsWith("warning: ", StringComparison.Ordinal) && !IsAssertion(l));
        if (line is null)
        {
            return null;
        }
        line = line.StartsWith("error: ", StringComparison.Ordinal) ? line["error: ".Length..] : line;
        // "failed to set MSR 0x10a to 0x69": the MSR names the problem, the value is noise.
        return MsrValue().Replace(line, "$1");
    }

    /// <summary>
    /// The reason a probe VM did not answer: QEMU's own words, else how it ended. With -no-reboot a
    /// guest that resets (a triple fault: the CPU could not take a step of the way to 64-bit mode) makes
    /// QEMU exit with status 0.
    /// </summary>
    public static string Describe(string stderr, int exitCode, bool timedOut, TimeSpan timeout) =>
        timedOut ? $"no answer within {timeout.TotalSeconds:0} s"
        : Reason(stderr) ?? exitCode switch
        {
            0 => "the probe VM reset before it reached 64-bit mode",
            > 128 => $"qemu killed by signal {exitCode - 128}",
            _ => $"qemu exited with status {exitCode}",
        };

    private static string StripPrefixes(string line)
    {
        line = ProgramPrefix().Replace(line, "");
        // "-accel kvm: failed to initialize kvm: …": the option QEMU was parsing is ours, not news.
        return OptionPrefix().Replace(line, "");
    }

    private static bool IsAssertion(string line) => line.Contains("Assertion", StringComparison.Ordinal);

    [GeneratedRegex(@"^(qemu-system-[\w.-]+|qemu): ")]
    private static partial Regex ProgramPrefix();

    [GeneratedRegex(@"^-[a-z-]+ [^:]*: ")]
    private static partial Regex OptionPrefix();

    [GeneratedRegex(@"(failed to set MSR 0x[0-9a-fA-F]+) to 0x[0-9a-fA-F]+")]
    private static partial Regex MsrValue();
}
