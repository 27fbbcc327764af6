using Culprit.Crash.UserSpace;
using Xunit;

namespace Culprit.Crash.Tests.UserSpace;

/// <summary>
/// One test per ClusterFuzz rule that a held-out or conformance log showed missing, on the smallest
/// log that needs the rule (each failed before the rule was added).
/// </summary>
public sealed class ClusterFuzzRuleTests
{
    [Fact]
    public void An_implicit_conversion_is_not_a_security_issue()
    {
        // -fsanitize=implicit-conversion reports defined behaviour, like unsigned overflow.
        var report = UserSpaceCrashParser.Parse(
            "p.c:4:17: runtime error: implicit conversion from type 'long' of value -3 (64-bit, signed) to type 'size_t' changed the value\n"
            + "    #0 0x56c82b in current_char /src/p.c:4:17\n    #1 0x56dbc3 in parse /src/p.c:9:10\n"
            + "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior p.c:4:17 in\n")!;
        Assert.Equal("Implicit-conversion", report.CrashType);
        Assert.Equal(["current_char", "parse"], report.CrashState);
        Assert.False(report.Security);
    }
}
