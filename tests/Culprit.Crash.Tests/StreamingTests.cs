using Xunit;

namespace Culprit.Crash.Tests;

/// <summary>The streaming overloads see the same crashes as the string ones.</summary>
public sealed class StreamingTests
{
    [Fact]
    public void Streaming_gives_the_same_primary_report_as_parsing_the_whole_log_on_every_corpus_log()
    {
        foreach (var c in ConformanceCorpus.ReportCases())
        {
            var whole = LinuxCrashParser.Parse(c.Log);
            var streamed = LinuxCrashParser.Parse(new StringReader(c.Log));
            Assert.True(whole?.Title == streamed?.Title, $"{c.Name}: {whole?.Title} vs {streamed?.Title}");
            Assert.Equal(whole?.Start, streamed?.Start);
            Assert.Equal(whole?.End, streamed?.End);
            Assert.Equal(whole?.Report, streamed?.Report);
        }
    }

    [Fact]
    public void Streaming_all_reports_of_a_long_log_matches_the_string_result()
    {
        // Long enough to cross many buffer refills and window boundaries.
        var logs = ConformanceCorpus.ReportCases().Select(c => c.Log).ToList();
        string log = string.Concat(Enumerable.Repeat(string.Concat(logs), 2));
        var whole = LinuxCrashParser.ParseAll(log);
        var streamed = LinuxCrashParser.ParseAll(new StringReader(log)).ToList();
        Assert.Equal(whole.Select(r => (r.Title, r.Start, r.End)), streamed.Select(r => (r.Title, r.Start, r.End)));
        Assert.True(whole.Count > logs.Count / 2);
    }

    [Fact]
    public void Streaming_reads_lazily_and_stops_after_the_first_crash_when_only_that_is_asked()
    {
        string crash = "[    1.000000] unregister_netdevice: waiting for lo to become free. Usage count = 1\n";
        var reader = new CountingReader(crash + string.Concat(Enumerable.Repeat("[    2.000000] quiet line\n", 200_000)));
        Assert.NotNull(LinuxCrashParser.Parse(reader));
        Assert.True(reader.CharsRead < 2 * (LinuxCrashParser.LookaheadChars + 1024 * 1024), $"read {reader.CharsRead} chars");
    }

    private sealed class CountingReader(string text) : TextReader
    {
        private readonly StringReader _inner = new(text);

        public long CharsRead { get; private set; }

        public override int Read(char[] buffer, int index, int count)
        {
            int n = _inner.Read(buffer, index, count);
            CharsRead += n;
            return n;
        }
    }
}
