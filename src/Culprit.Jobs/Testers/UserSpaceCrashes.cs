using Culprit.Core.Domain;
using Culprit.Crash.UserSpace;

namespace Culprit.Jobs.Testers;

/// <summary>
/// A failed test's output read for a user-space crash report (sanitizers, fuzzers, aborts, runtime
/// panics): the run is titled from ClusterFuzz's type and state, and its alt title (type and full
/// state) is what the flaky strategy clusters by.
/// </summary>
public static class UserSpaceCrashes
{
    public static RunOutcome? Parse(string output, double seconds = 0) =>
        UserSpaceCrashParser.Parse(output) is { } report
            ? RunOutcome.Crash(report.Title, output, [report.AltTitle], seconds)
            : null;
}
