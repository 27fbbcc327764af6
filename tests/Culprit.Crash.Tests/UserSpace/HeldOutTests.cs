using Culprit.Crash.UserSpace;
using Xunit;
using Xunit.Abstractions;

namespace Culprit.Crash.Tests.UserSpace;

/// <summary>
/// Agreement with ClusterFuzz on real logs the parser was not developed against (tests/Culprit.Crash.Tests/HeldOut,
/// see its README): the same fields and targets as the conformance corpus.
/// </summary>
public sealed class HeldOutTests(ITestOutputHelper output)
{
    [Fact]
    public void Crash_fields_agree_with_ClusterFuzz_on_held_out_logs()
    {
        var cases = UserSpaceCorpus.Cases(Folder());
        Assert.True(cases.Count >= 13, $"only {cases.Count} cases");
        int type = 0, state = 0, security = 0, address = 0;
        foreach (var c in cases)
        {
            var got = UserSpaceCrashParser.Parse(c.Log, c.Options);
            string gotType = got?.CrashType ?? "";
            string gotState = string.Join(" | ", got?.CrashState ?? []);
            string wantState = string.Join(" | ", c.CrashState ?? []);
            bool ok = gotType == c.CrashType && gotState == wantState && (got?.Security ?? false) == c.Security
                && (got?.CrashAddress ?? "") == c.CrashAddress;
            type += gotType == c.CrashType ? 1 : 0;
            state += gotState == wantState ? 1 : 0;
            security += (got?.Security ?? false) == c.Security ? 1 : 0;
            address += (got?.CrashAddress ?? "") == c.CrashAddress ? 1 : 0;
            output.WriteLine($"{(ok ? "ok  " : "MISS")} {c.Name}: [{gotType}] [{gotState}] [{got?.CrashAddress}] {got?.Security}"
                + (ok ? "" : $" want [{c.CrashType}] [{wantState}] [{c.CrashAddress}] {c.Security}"));
            if (c.CrashType == "")
                Assert.True(got is null, $"{c.Name}: ClusterFuzz reports no crash, parser found [{gotType}]");
        }
        output.WriteLine($"{cases.Count} logs: type {type}, state {state}, security {security}, address {address}");
        Assert.True(type * 100 >= 95 * cases.Count, $"crash type {type}/{cases.Count}");
        Assert.True(state * 100 >= 90 * cases.Count, $"crash state {state}/{cases.Count}");
        Assert.True(security * 100 >= 95 * cases.Count, $"security {security}/{cases.Count}");
    }

    private static string Folder()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "tests", "Culprit.Crash.Tests", "HeldOut");
            if (File.Exists(Path.Combine(d.FullName, "Culprit.slnx")) && Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException("tests/Culprit.Crash.Tests/HeldOut not found above " + AppContext.BaseDirectory);
    }
}
