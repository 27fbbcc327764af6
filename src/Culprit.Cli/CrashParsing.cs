using Culprit.Core.Domain;
using Culprit.Crash;

namespace Culprit.Cli;

/// <summary>
/// How test output is searched for kernel crash reports: a crash the parser finds names the run.
/// (A failed run without one is then read for a user-space report: <c>Jobs.Testers.UserSpaceCrashes</c>.)
/// </summary>
internal static class CrashParsing
{
    /// <summary>The first kernel crash in the output, read as a stream (as it arrives, in bounded memory).</summary>
    public static RunOutcome? Parse(TextReader output) =>
        LinuxCrashParser.Parse(output) is { Suppressed: false } crash
            ? RunOutcome.Crash(crash.Title, crash.Report, crash.AltTitles)
            : null;
}
