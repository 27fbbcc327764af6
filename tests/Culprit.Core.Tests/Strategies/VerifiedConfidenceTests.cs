using Culprit.Core.Strategies;
using Xunit;

namespace Culprit.Core.Tests.Strategies;

public class VerifiedConfidenceTests
{
    [Fact]
    public void An_unchecked_revert_leaves_the_posterior_times_the_chance_the_one_step_assumption_holds()
    {
        Assert.Equal(0.99 * (1 - VerifiedConfidence.PriorAssumptionFails), VerifiedConfidence.Of(0.99, 1), 12);
    }

    [Fact]
    public void A_clean_revert_counts_by_how_likely_it_would_have_shown_the_bug()
    {
        Assert.Equal(0.99, VerifiedConfidence.Of(0.99, 0), 12);
        var weak = VerifiedConfidence.Of(0.99, 0.5);
        var strong = VerifiedConfidence.Of(0.99, 0.01);
        Assert.True(weak < 0.95 && strong > 0.98 && strong < 0.99, $"{weak} {strong}");
    }
}
