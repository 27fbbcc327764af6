using System.Text.RegularExpressions;
using Culprit.Crash.Formats;
using Xunit;

namespace Culprit.Crash.Tests;

/// <summary>
/// The matchers that replace regexes on the hot path (source file names, stall anchors) and the
/// line-by-line search in front of the multi-line format regexes give the regexes' own answers.
/// </summary>
public sealed class HandWrittenMatcherTests
{
    [Fact]
    public void Source_file_search_agrees_with_its_regex_on_every_corpus_line_and_on_edge_cases()
    {
        string[] edges =
        [
            "a.c:1", ".c:1", "/.c:1", "x/.c:1", "a.c:x b.c:2", "a.c.c:3", "net/a-b/c_d.h:12 x/y.c:3", "a.c:", "a.c", "-.h:0",
            "foo(a.c:1)", "ü.c:1 x.c:2", "path//to/./f.c:1", "a.c:1a", "a.cc:1", "a.C:1", ".../x.c:5",
        ];
        int files = 0;
        foreach (var line in CorpusLines().Concat(edges))
        {
            var m = GuiltyFile.FileName.Match(line);
            string? want = m.Success ? m.Groups[1].Value : null;
            string? got = GuiltyFile.FileIn(line, 0, line.Length);
            Assert.True(want == got, $"[{line}]: regex {want}, matcher {got}");
            if (got != null)
                files++;
        }
        Assert.True(files > 1_000, $"only {files} source file lines checked");
    }

    [Fact]
    public void Multi_line_format_regexes_match_as_the_backtracking_engine_does_on_every_corpus_log()
    {
        var formats = LinuxCrashFormats.Families.SelectMany(f => f.Formats)
            .SelectMany(f => new[] { f.Title, f.Report })
            .OfType<FormatRegex>()
            .Where(r => r.ToString().Contains(FormatRegex.LineLoop, StringComparison.Ordinal))
            .ToList();
        Assert.True(formats.Count >= 20, $"only {formats.Count} multi-line format regexes");
        int matches = 0;
        foreach (var c in ConformanceCorpus.ReportCases())
        {
            // The report text as the title search sees it: printk prefixes removed.
            string text = string.Join('\n', c.Log.Split('\n').Select(l => l.IndexOf("] ", StringComparison.Ordinal) is var p && p >= 0 ? l[(p + 2)..] : l));
            foreach (var format in formats)
            {
                var want = new Regex(format.ToString(), Patterns.Options).Match(text);
                var got = format.Match(text);
                Assert.True(want.Success == got.Success && want.Index == got.Index && want.Length == got.Length &&
                    want.Groups.Values.Select(g => g.Value).SequenceEqual(got.Groups.Values.Select(g => g.Value)),
                    $"{c.Name}: {format}");
                if (got.Success)
                    matches++;
            }
        }
        Assert.True(matches > 50, $"only {matches} matches checked");
    }

    [Theory]
    [InlineData("kthread", true)]
    [InlineData("kthread_worker", false)]
    [InlineData("sys_connect", true)]
    [InlineData("__sys_connect", false)]
    [InlineData("x_process_one_work_y", true)]
    [InlineData("setsockopt", true)]
    [InlineData("do_setsockopt", false)]
    [InlineData("foo", false)]
    public void Names_are_matched_anywhere_at_the_start_or_whole_as_their_anchors_say(string frame, bool anchor)
    {
        var list = new NameList(["process_one_work", "^kthread$", "^sys_connect", "^setsockopt$"]);
        Assert.Equal(anchor, list.IsMatch(frame));
    }

    private static IEnumerable<string> CorpusLines()
    {
        foreach (var c in ConformanceCorpus.ReportCases())
        {
            foreach (var line in c.Log.Split('\n'))
                yield return line;
        }
        foreach (var g in ConformanceCorpus.GuiltyCases())
        {
            foreach (var line in g.Log.Split('\n'))
                yield return line;
        }
    }
}
