using Culprit.Kernel.Maintainers;

namespace Culprit.Kernel.Tests;

public sealed class CcListTests
{
    [Fact]
    public void The_cc_line_looks_like_syzbots() =>
        Assert.Equal("cc: [\"axboe@kernel.dk\" \"io-uring@vger.kernel.org\"]", CcList.Format(["axboe@kernel.dk", "io-uring@vger.kernel.org"]));

    [Fact]
    public void Addresses_are_lower_cased_sorted_and_deduplicated() =>
        Assert.Equal(["a@x.org", "b@y.org"], CcList.Of(["B@y.org", "a@x.org", "b@Y.org", "not-an-address"], "test").Addresses);
}
