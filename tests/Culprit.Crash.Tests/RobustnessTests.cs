using System.Diagnostics;
using System.Text;
using Xunit;

namespace Culprit.Crash.Tests;

/// <summary>Hostile or broken console output never throws and never takes more than linear time.</summary>
public sealed class RobustnessTests
{
    private static void ParsesEverything(string log)
    {
        _ = LinuxCrashParser.Parse(log);
        _ = LinuxCrashParser.ParseAll(log);
        _ = LinuxCrashParser.ContainsCrash(log);
        _ = LinuxCrashParser.ParseAll(new StringReader(log)).ToList();
    }

    [Fact]
    public void Random_bytes_decoded_as_utf8_never_throw()
    {
        var random = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 20_000)];
            random.NextBytes(bytes);
            ParsesEverything(Encoding.UTF8.GetString(bytes));
        }
    }

    [Fact]
    public void Report_headers_amid_random_bytes_and_invalid_utf8_never_throw()
    {
        var random = new Random(2);
        string[] headers = ["BUG: KASAN: ", "WARNING: CPU: 0 PID: 1 at ", "general protection fault", "Call Trace:\n", "INFO: task ", "Kernel panic - not syncing: ", "] ", " ? ", "[ T12] ", "\n"];
        for (int i = 0; i < 200; i++)
        {
            var sb = new StringBuilder();
            for (int j = 0; j < 300; j++)
            {
                if (random.Next(3) == 0)
                    sb.Append(headers[random.Next(headers.Length)]);
                var bytes = new byte[random.Next(0, 40)];
                random.NextBytes(bytes);
                sb.Append(Encoding.UTF8.GetString(bytes)); // invalid sequences become U+FFFD
            }
            ParsesEverything(sb.ToString());
        }
    }

    [Fact]
    public void Nul_bytes_inside_a_report_do_not_hide_it()
    {
        string log = "\0\0\0[    1.000000] \0unregister_netdevice: waiting for lo to become free.\0\n\0\0";
        Assert.Equal("unregister_netdevice: waiting for DEV to become free", LinuxCrashParser.Parse(log)?.Title);
    }

    [Fact]
    public void Every_truncation_of_real_reports_parses_without_throwing()
    {
        foreach (var c in ConformanceCorpus.ReportCases().Where((_, i) => i % 10 == 0))
        {
            for (int cut = 0; cut < c.Log.Length; cut += Math.Max(1, c.Log.Length / 25))
                ParsesEverything(c.Log[..cut]);
        }
    }

    [Fact]
    public void A_10_MB_line_is_parsed_in_linear_time()
    {
        var line = new StringBuilder("[    1.000000] BUG: KASAN: use-after-free in ");
        while (line.Length < 10 * 1024 * 1024)
            line.Append("a_very_long_function_name+0x1/0x2 Read of size (.*) ? [<ffff>] ");
        string log = line.ToString();
        var clock = Stopwatch.StartNew();
        ParsesEverything(log);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("BUG: KASAN: use-after-free in f+0x1/0x2")]
    [InlineData("WARNING: suspicious RCU usage")]
    [InlineData("INFO: inconsistent lock state ] takes")]
    [InlineData("BUG: held lock freed!")]
    public void Headers_of_multi_line_formats_are_parsed_in_linear_time(string header)
    {
        // Formats like "header, then a later line with X, then one with Y" once took minutes
        // on such a log: every header rescanned the rest of the report, once per nested loop.
        var sb = new StringBuilder();
        for (int i = 0; sb.Length < 1024 * 1024; i++)
            sb.Append("[    1.000000] ").Append(header).Append(i % 7 == 0 ? " at: takes a b c d e f g\n" : "\n");
        var clock = Stopwatch.StartNew();
        ParsesEverything(sb.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Many_report_headers_are_parsed_in_linear_time()
    {
        // Every line starts a report: the worst case for per-report work.
        var sb = new StringBuilder();
        for (int i = 0; sb.Length < 2 * 1024 * 1024; i++)
            sb.Append("[    1.").Append(i % 1000000).Append("] WARNING: CPU: 0 PID: 1 at kernel/x.c:1 f+0x1/0x2\n");
        var clock = Stopwatch.StartNew();
        var all = LinuxCrashParser.ParseAll(sb.ToString());
        Assert.NotEmpty(all);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }
}
