namespace Culprit.Jobs.Tests;

/// <summary>git bisect's rules for custom terms (builtin/bisect.c, check_term_format and the terms' difference).</summary>
public sealed class BisectTermsTests
{
    [Theory]
    [InlineData("good", "bad")]
    [InlineData("old", "new")]
    [InlineData("fixed", "broken")]
    [InlineData("fast", "slow")]
    [InlineData("perf/ok", "perf/regressed")]
    public void Terms_git_takes_are_taken(string termOld, string termNew) => Assert.Null(BisectTerms.Error(termOld, termNew));

    [Theory]
    [InlineData("same", "same", "--term-old and --term-new must differ (both are 'same')")]
    [InlineData("new", "broken", "--term-old: can't change the meaning of the term 'new'")]
    [InlineData("fixed", "old", "--term-new: can't change the meaning of the term 'old'")]
    [InlineData("run", "x", "--term-old: can't use the builtin command 'run' as a term")]
    [InlineData("x", "terms", "--term-new: can't use the builtin command 'terms' as a term")]
    [InlineData("a..b", "x", "--term-old 'a..b' is not a valid term")]
    [InlineData(".hidden", "x", "--term-old '.hidden' is not a valid term")]
    [InlineData("x", "ref.lock", "--term-new 'ref.lock' is not a valid term")]
    [InlineData("x", "a@{1}", "--term-new 'a@{1}' is not a valid term")]
    [InlineData("x", "line\nbreak", "--term-new 'line\nbreak' is not a valid term")]
    [InlineData("x", "trailing/", "--term-new 'trailing/' is not a valid term")]
    [InlineData("x", "@", "--term-new '@' is not a valid term")]
    public void Terms_git_refuses_are_refused_in_its_words(string termOld, string termNew, string expected) =>
        Assert.StartsWith(expected, BisectTerms.Error(termOld, termNew));
}
