using System.Text;
using Culprit.Crash.UserSpace;
using Xunit;

namespace Culprit.Crash.Tests.UserSpace;

/// <summary>Hostile and cut-off output never makes the parser throw, and streaming reads agree with whole-string reads.</summary>
public sealed class UserSpaceRobustnessTests
{
    [Fact]
    public void Truncated_and_mutated_reports_parse_without_an_exception()
    {
        var random = new Random(20261202);
        var logs = UserSpaceCorpus.Cases().Select(c => c.Log).Distinct().ToList();
        const string Noise = "#0x:() []+-/\\=\n ERROR: AddressSanitizer SEGV on unknown address READ of size in at runtime error: panic: Assertion `x' failed.\u0000\u00ff\u2028";
        for (int round = 0; round < 2000; round++)
        {
            var log = logs[random.Next(logs.Count)];
            var text = new StringBuilder(log[..random.Next(log.Length + 1)]);
            int mutations = random.Next(20);
            for (int m = 0; m < mutations && text.Length > 0; m++)
            {
                int at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text[at] = Noise[random.Next(Noise.Length)]; break;
                    case 1: text.Insert(at, Noise.AsSpan(random.Next(Noise.Length / 2), random.Next(Noise.Length / 2))); break;
                    default: text.Remove(at, Math.Min(random.Next(200), text.Length - at)); break;
                }
            }
            var input = text.ToString();
            var options = random.Next(2) == 0 ? UserSpaceOptions.Default : UserSpaceOptions.FromClusterFuzzEnvironment(new Dictionary<string, string> { ["FUZZ_TARGET"] = "t" });
            var fromString = UserSpaceCrashParser.Parse(input, options);
            var fromStream = UserSpaceCrashParser.Parse(new StringReader(input), options);
            if (fromString is not null)
            {
                Assert.DoesNotContain('\n', fromString.Title);
                Assert.True(fromString.CrashState.Count <= 3);
            }
            Assert.Equal(fromString is null, fromStream is null);
        }
    }

    [Fact]
    public void Random_bytes_parse_without_an_exception()
    {
        var random = new Random(7);
        for (int round = 0; round < 300; round++)
        {
            var chars = new char[random.Next(20_000)];
            for (int i = 0; i < chars.Length; i++)
                chars[i] = random.Next(10) == 0 ? '\n' : (char)random.Next(1, 0x300);
            _ = UserSpaceCrashParser.Parse(new string(chars));
        }
    }

    [Fact]
    public void Streaming_and_string_parsing_agree_on_every_corpus_log()
    {
        foreach (var c in UserSpaceCorpus.Cases())
        {
            var whole = UserSpaceCrashParser.Parse(c.Log, c.Options);
            var streamed = UserSpaceCrashParser.Parse(new StringReader(c.Log), c.Options);
            Assert.Equal(whole?.CrashType, streamed?.CrashType);
            Assert.Equal(whole?.CrashState ?? [], streamed?.CrashState ?? []);
            Assert.Equal(whole?.Security, streamed?.Security);
        }
    }

    [Fact]
    public void A_report_line_longer_than_a_megabyte_is_skipped_not_held()
    {
        var log = "==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc 0x1 bp 0x2 sp 0x3\n"
            + new string('A', 2 * 1024 * 1024) + "\nREAD of size 1 at 0x602000000010 thread T0\n    #0 0x4 in use_name /src/prog.c:30:12\n";
        var report = UserSpaceCrashParser.Parse(new StringReader(log));
        Assert.NotNull(report);
        Assert.Equal("heap-use-after-free in use_name", report.Title);
        Assert.True(report.Report.Length <= UserSpaceCrashParser.MaxReportChars);
    }
}
