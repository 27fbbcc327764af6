using System.Diagnostics;
using Culprit.Crash.UserSpace;

namespace Culprit.Bench.Crash;

/// <summary>
/// <c>-- userspace [MB] [corpus-dir]</c>: the user-space conformance logs (sanitizer, fuzzer and runtime
/// reports back to back), repeated to MB megabytes, streamed through <see cref="UserSpaceCrashParser"/>
/// on one thread, at two sizes so that memory can be seen not to grow with the log.
/// </summary>
internal static class UserSpaceBench
{
    public static void Run(double megabytes, string corpus)
    {
        var dir = Path.Combine(corpus, "userspace");
        var logs = Directory.GetFiles(dir, "*.txt").Order(StringComparer.Ordinal).Select(File.ReadAllText)
            .Select(l => l.EndsWith('\n') ? l : l + "\n").ToList();
        Console.WriteLine($"user-space corpus: {logs.Count} logs, {logs.Sum(l => (long)l.Length) / 1024.0 / 1024.0:F1} MB");
        foreach (var log in logs)
            _ = UserSpaceCrashParser.Parse(log);
        Measure(logs, megabytes / 4);
        Measure(logs, megabytes);
    }

    private static void Measure(List<string> logs, double megabytes)
    {
        var reader = new CorpusReader(logs, (long)(megabytes * 1024 * 1024));
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var report = UserSpaceCrashParser.Parse(reader);
        clock.Stop();
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        double mb = reader.Served / 1024.0 / 1024.0;
        Console.WriteLine($"sanitizer-heavy stream of {mb:F0} MB: {mb / clock.Elapsed.TotalSeconds:F1} MB/s wall clock, {mb / cpu:F1} MB per CPU second (one thread)");
        Console.WriteLine($"  crash: {report?.Title}");
        Console.WriteLine($"  peak working set: {process.PeakWorkingSet64 / 1024.0 / 1024.0:F1} MB; managed heap after GC: {GC.GetTotalMemory(true) / 1024.0 / 1024.0:F1} MB");
    }
}
