using Culprit.Crash.Formats;
using Xunit;

namespace Culprit.Crash.Tests;

/// <summary>The hand-written frame line matcher is held to the frame regexes it replaces on the hot path.</summary>
public sealed class FrameLineMatcherTests
{
    [Fact]
    public void Hand_written_frame_matching_agrees_with_the_frame_regexes_on_every_corpus_line()
    {
        int frames = 0;
        foreach (var line in CorpusLines())
        {
            var (want1, want2) = RegexFrames(line);
            int names = FrameLineMatcher.Frame(line, out var first, out var second);
            string? got1 = names > 0 ? line[first] : null;
            string? got2 = names > 1 ? line[second] : null;
            Assert.True(want1 == got1 && want2 == got2, $"[{line}]: regex ({want1}, {want2}), matcher ({got1}, {got2})");
            if (names > 0)
                frames++;
        }
        Assert.True(frames > 10_000, $"only {frames} frame lines checked");
    }

    [Theory]
    [InlineData(" [<ffffffff81234567>] [<ffffffff81234567>] [<ffffffff81234567>] foo+0x1/0x2")]
    [InlineData("[<c0101234>] (callee) from [<c0105678>] (caller+0x10/0x20)")]
    [InlineData("[0x1234] foo.isra.0+0x1/0x2")]
    [InlineData("[<0x>] foo+0x1/0x2")]
    [InlineData("[<ab>x] foo+0x1/0x2")]
    [InlineData("   ")]
    [InlineData("[")]
    public void Edge_cases_agree_with_the_frame_regexes(string line)
    {
        var (want1, want2) = RegexFrames(line);
        int names = FrameLineMatcher.Frame(line, out var first, out var second);
        Assert.Equal(want1, names > 0 ? line[first] : null);
        Assert.Equal(want2, names > 1 ? line[second] : null);
    }

    private static (string?, string?) RegexFrames(string line)
    {
        foreach (var re in StackConventions.FrameLines)
        {
            var m = re.Match(line);
            if (m.Success)
                return (m.Groups[1].Value, m.Groups.Count > 2 && m.Groups[2].Success ? m.Groups[2].Value : null);
        }
        return (null, null);
    }

    /// <summary>Every corpus line, both as printed and without its printk prefix (as the frame search sees it).</summary>
    private static IEnumerable<string> CorpusLines()
    {
        foreach (var c in ConformanceCorpus.ReportCases())
        {
            foreach (var line in c.Log.Split('\n'))
            {
                yield return line;
                int prefix = line.IndexOf("] ", StringComparison.Ordinal);
                if (prefix >= 0)
                    yield return line[(prefix + 2)..];
            }
        }
    }
}
