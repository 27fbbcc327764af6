using Xunit;
using Xunit.Abstractions;

namespace Culprit.Crash.Tests.UserSpace;

/// <summary>
/// Agreement with ClusterFuzz's stack analyzer on every real log of ../shared/conformance/userspace,
/// field by field and per family (the table is printed in the test output).
/// </summary>
public sealed class UserSpaceConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void Crash_fields_agree_with_ClusterFuzz_on_the_corpus()
    {
        var cases = UserSpaceCorpus.Cases();
        Assert.True(cases.Count >= 100, $"only {cases.Count} cases");
        ClusterFuzzAgreement.Check(cases, output);
    }
}
