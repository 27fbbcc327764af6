using Culprit.Crash.UserSpace;
using Xunit;

namespace Culprit.Crash.Tests.UserSpace;

/// <summary>The one-pass word scanner finds exactly the words an ordinal Contains finds.</summary>
public sealed class WordScannerTests
{
    [Theory]
    [InlineData("ERROR: AddressSanitizer: SEGV", "ERROR: |Sanitizer|anitizer")]
    [InlineData("====", "===")]
    [InlineData("a rror", "rror")]
    [InlineData("allocation", "lloc")]
    [InlineData("S\u00e9Sanitizer", "Sanitizer|anitizer")] // a non-ASCII character restarts the scan
    [InlineData("Sanit\u00e9izer", "")]
    [InlineData("", "")]
    public void Finds_every_word_that_occurs(string line, string expected)
    {
        string[] words = ["ERROR: ", "Sanitizer", "anitizer", "===", "rror", "lloc", "loc x"];
        var scanner = new WordScanner(words);
        var found = scanner.Scan(line);
        var names = words.Where(w => (found & scanner.Bit(w)) != 0);
        Assert.Equal(expected, string.Join("|", names));
    }

    [Fact]
    public void Agrees_with_Contains_on_corpus_lines_and_random_text()
    {
        var scanner = LineWords.Scanner;
        var words = typeof(LineWords).GetField("All", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .GetValue(null) as string[];
        Assert.NotNull(words);
        var random = new Random(3);
        var lines = UserSpaceCorpus.Cases().Select(c => c.Log).Distinct().SelectMany(l => l.Split('\n')).ToList();
        for (int i = 0; i < 2000; i++)
        {
            // Glue pieces of words together so that partial and overlapping matches are common.
            var parts = Enumerable.Range(0, random.Next(1, 6)).Select(_ => words![random.Next(words.Length)])
                .Select(w => w[..random.Next(1, w.Length + 1)] + (random.Next(3) == 0 ? w : ""));
            lines.Add(string.Concat(parts));
        }
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i], other = lines[(i * 7 + 3) % lines.Count];
            var found = scanner.Scan(line);
            var (pairFirst, pairSecond) = scanner.Scan(line, other);
            Assert.Equal(found, pairFirst);
            Assert.Equal(scanner.Scan(other), pairSecond);
            foreach (var w in words!)
                Assert.True(line.Contains(w, StringComparison.Ordinal) == ((found & scanner.Bit(w)) != 0), $"[{w}] in [{line}]");
        }
    }
}
