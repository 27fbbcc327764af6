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
        int logs = cases.Select(c => c.File).Distinct().Count();
        output.WriteLine($"{logs} held-out logs, {cases.Count} cases");
        ClusterFuzzAgreement.Check(cases, output);
        Assert.True(logs >= 50, $"only {logs} held-out logs");
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
