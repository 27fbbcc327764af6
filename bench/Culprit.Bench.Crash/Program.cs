using System.Diagnostics;
using System.Runtime;
using Culprit.Bench.Crash;
using Culprit.Crash;

// Usage: dotnet run -c Release --project bench/Culprit.Bench.Crash -- [MB] [corpus-dir]
// Streams the conformance corpus logs, repeated to MB megabytes (default 100), through
// LinuxCrashParser.ParseAll(TextReader) on one thread and prints throughput and peak memory.
// With `-- userspace [MB] [corpus-dir]` it measures the user-space parser instead (UserSpaceBench);
// with `-- fed [MB]` (default 50) it measures a test run's output read line by line into both parsers (FedBench).
if (args.Length > 0 && args[0] == "fed")
{
    await FedBench.RunAsync(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50);
    return;
}
if (args.Length > 0 && args[0] == "userspace")
{
    UserSpaceBench.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100,
        args.Length > 2 ? args[2] : FindCorpus());
    return;
}
double megabytes = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100;
string dir = args.Length > 1 ? args[1] : FindCorpus();
var files = Directory.GetFiles(Path.Combine(dir, "linux-report")).Order(StringComparer.Ordinal)
    .Select(File.ReadAllText).ToList();
var logs = files.Select(LogPart).Where(l => l.Length > 0).ToList();
// The corpus logs that hold no crash: what most of a real console log looks like.
var quiet = files.Where(f => !f.StartsWith("TITLE:", StringComparison.Ordinal)).Select(LogPart).Where(l => l.Length > 0).ToList();
long chars = (long)(megabytes * 1024 * 1024);
Console.WriteLine($"corpus: {logs.Count} logs, {logs.Sum(l => (long)l.Length) / 1024.0 / 1024.0:F1} MB; streaming {megabytes:F0} MB");

// Warm up the regex automata and the JIT on one pass over the corpus. Under tiered compilation (the
// CLI's default) the hot code is compiled again during the measured runs; that cost is shown.
foreach (var log in logs)
    _ = LinuxCrashParser.ParseAll(log);

Measure("crash-dense (every corpus log)", logs);
Measure("crash-free (corpus logs without a crash)", quiet);

void Measure(string name, List<string> input)
{
    var reader = new CorpusReader(input, chars);
    using var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var jitBefore = JitInfo.GetCompilationTime();
    long methodsBefore = JitInfo.GetCompiledMethodCount();
    int reports = 0, corrupted = 0;
    foreach (var report in LinuxCrashParser.ParseAll(reader))
    {
        reports++;
        if (report.Corrupted)
            corrupted++;
    }
    clock.Stop();
    process.Refresh();
    double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
    double mb = reader.Served / 1024.0 / 1024.0;
    Console.WriteLine($"{name}:");
    Console.WriteLine($"parsed:  {mb:F1} MB in {clock.Elapsed.TotalSeconds:F2} s = {mb / clock.Elapsed.TotalSeconds:F1} MB/s wall clock (one thread)");
    // On a shared machine the wall clock includes time spent waiting for a core.
    Console.WriteLine($"         {cpu:F2} s of CPU = {mb / cpu:F1} MB per CPU second");
    Console.WriteLine($"reports: {reports} ({corrupted} corrupted)");
    double jit = (JitInfo.GetCompilationTime() - jitBefore).TotalSeconds;
    long methods = JitInfo.GetCompiledMethodCount() - methodsBefore;
    Console.WriteLine($"JIT:     {jit:F2} s compiling {methods} methods during the run ({(GCSettings.IsServerGC ? "server" : "workstation")} GC, latency mode {GCSettings.LatencyMode})");
    Console.WriteLine($"peak working set: {process.PeakWorkingSet64 / 1024.0 / 1024.0:F1} MB; managed heap after GC: {GC.GetTotalMemory(true) / 1024.0 / 1024.0:F1} MB");
}

static string LogPart(string file)
{
    file = file.Replace("\r", "", StringComparison.Ordinal);
    int blank = file.IndexOf("\n\n", StringComparison.Ordinal);
    string log = blank < 0 ? file : file[(blank + 2)..];
    int report = log.IndexOf("\n\nREPORT:\n", StringComparison.Ordinal);
    return report < 0 ? log : log[..(report + 1)];
}

static string FindCorpus()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
    {
        if (File.Exists(Path.Combine(d.FullName, "Culprit.slnx")))
        {
            string candidate = Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "conformance"));
            if (Directory.Exists(candidate))
                return candidate;
        }
    }
    return "/work/shared/conformance";
}
