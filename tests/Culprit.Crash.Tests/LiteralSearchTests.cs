using System.Buffers;
using Culprit.Crash.Formats;
using Xunit;

namespace Culprit.Crash.Tests;

/// <summary>The split literal search finds what one multi-string search over all literals finds.</summary>
public sealed class LiteralSearchTests
{
    private static readonly string[] Literals =
        [.. LinuxCrashFormats.Families.Select(f => f.Header), .. LinuxCrashFormats.InfoMessagesWithStack, .. LinuxCrashFormats.SuppressionWordList];

    [Fact]
    public void Finds_the_same_first_hit_as_one_search_from_every_hit_of_the_corpus_on()
    {
        var split = new LiteralSearch(Literals);
        var whole = SearchValues.Create(Literals.Distinct().ToArray(), StringComparison.Ordinal);
        string text = string.Concat(ConformanceCorpus.ReportCases().Select(c => c.Log));
        int hits = 0;
        for (int pos = 0; pos <= text.Length;)
        {
            int want = text.AsSpan(pos).IndexOfAny(whole);
            Assert.Equal(want, split.IndexOfAny(text.AsSpan(pos)));
            if (want < 0)
            {
                break;
            }
            hits++;
            pos += want + 1;
        }
        Assert.True(hits > 500, $"only {hits} hits checked");
    }

    [Theory]
    [InlineData("int3: ", "xxint3: yyWARNING:")]
    [InlineData("WARNING:", "xxint3: yyWARNING:")]
    [InlineData("kernel BUG", "kernel BUG")]
    [InlineData("fatal error:", "no hit here")]
    public void A_lowercase_led_literal_overlapping_a_later_hit_is_found_first(string _, string text)
    {
        var split = new LiteralSearch(Literals);
        var whole = SearchValues.Create(Literals.Distinct().ToArray(), StringComparison.Ordinal);
        Assert.Equal(text.AsSpan().IndexOfAny(whole), split.IndexOfAny(text));
    }

    [Fact]
    public void Hits_across_the_pieces_of_a_long_text_are_found()
    {
        var split = new LiteralSearch(["int3: ", "WARNING:"]);
        foreach (int at in new[] { 0, 255, 256, 1279, 1280, 5375, 70_000 })
        {
            string text = new string('a', at) + "int3: " + new string('b', 100);
            Assert.Equal(at, split.IndexOfAny(text));
        }
    }
}
