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
    /// <summary>The run a report names, with <paramref name="detail"/> as what is stored of its output.</summary>
    public static RunOutcome Outcome(UserSpaceReport report, string detail, double seconds) =>
        RunOutcome.Crash(report.Title, detail, [report.AltTitle], seconds);
}
