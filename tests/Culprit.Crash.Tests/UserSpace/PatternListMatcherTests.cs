using System.Text.RegularExpressions;
using Culprit.Crash.UserSpace;
using Xunit;

namespace Culprit.Crash.Tests.UserSpace;

/// <summary>The fast ignore-list matcher answers exactly as the regex alternation it replaces.</summary>
public sealed class PatternListMatcherTests
{
    private static readonly string[] Kinds =
    [
        "abort$", "(|__)memcpy", @"_\$LT\$", @"Abort\(", "libgcc_s.so.*", "linux-gate.so.*$", "<unknown>$", @"\[vdso\]$",
        ".*assert", @".*/libc\+\+", @".*libc-.*\.so", ".* /rust(|c)/", @".*\+Unknown", "new",
    ];

    [Theory]
    [InlineData("abort", true)]
    [InlineData("abort_helper", true)] // "^abort" is also in the list
    [InlineData("__memcpy_avx", true)]
    [InlineData("memcpy", true)]
    [InlineData("_memcpy", false)]
    [InlineData("_$LT$impl", true)]
    [InlineData("Abort(x)", true)]
    [InlineData("libgcc_s.so.1", true)]
    [InlineData("libgcc_sXso", true)]
    [InlineData("<unknown>", true)]
    [InlineData("<unknown> x", false)]
    [InlineData("foo /usr/lib/libc-2.31.so", true)]
    [InlineData("foo /rustc/abc", true)]
    [InlineData("foo /rustd/abc", false)]
    [InlineData("my_assert_helper", true)]
    [InlineData("x+Unknown", true)]
    [InlineData("newline", true)]
    [InlineData("renew", false)]
    public void Matches_as_the_anchored_alternation(string s, bool expected)
    {
        var patterns = Kinds.Append("abort").ToList();
        Assert.Equal(expected, new PatternListMatcher(patterns).IsMatch(s));
        Assert.Equal(expected, Alternation(patterns).IsMatch(s));
    }

    [Fact]
    public void Agrees_with_the_regex_on_every_frame_of_the_corpus_and_on_mutations()
    {
        var regex = Alternation(FrameRules.IgnorePatterns);
        var matcher = new PatternListMatcher(FrameRules.IgnorePatterns);
        var frame = new Regex(@"^\s*#\d+\s+0x[0-9a-f]+\s+(?:in\s+)?(.*)$", RegexOptions.Multiline);
        var random = new Random(11);
        int checkedFrames = 0, ignored = 0;
        foreach (var log in UserSpaceCorpus.Cases().Select(c => c.Log).Distinct())
        {
            foreach (Match m in frame.Matches(log))
            {
                string f = m.Groups[1].Value.TrimEnd('\r');
                foreach (string s in (string[])[f, f[random.Next(f.Length + 1)..], f.ToLowerInvariant()])
                {
                    bool want = regex.IsMatch(s);
                    Assert.True(want == matcher.IsMatch(s), $"[{s}]: regex says {want}");
                    checkedFrames++;
                    ignored += want ? 1 : 0;
                }
            }
        }
        Assert.True(checkedFrames > 3000 && ignored > 500 && ignored < checkedFrames - 500, $"{checkedFrames} frames, {ignored} ignored");
    }

    private static Regex Alternation(IEnumerable<string> patterns) =>
        new("^(?:" + string.Join("|", patterns) + ")", RegexOptions.CultureInvariant);
}
