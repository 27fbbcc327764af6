using System.Diagnostics;
using System.Globalization;
using Culprit.Crash;
using Culprit.Crash.Streaming;
using Culprit.Crash.UserSpace;
using Culprit.Jobs;
using Culprit.Processes;

namespace Culprit.Bench.Crash;

/// <summary>
/// <c>-- fed [MB]</c>: a test run's output on its way to a verdict, as a command test reads it: the
/// process's standard output split into lines (<see cref="ProcessRunner.RunAsync"/> with a line reader),
/// each line handed to both crash parsers (the kernel one and the user-space one, each a
/// <see cref="FedParser{T}"/> on its own thread) and to what is stored of it (<see cref="RunOutputKeeper"/>).
/// Two outputs of MB megabytes: `yes` (two-character lines, where the cost per line shows) and
/// 80-character lines; then the parsers' feed alone, without a process.
/// </summary>
internal static class FedBench
{
    public static async Task RunAsync(double megabytes)
    {
        var bytes = (long)(megabytes * 1024 * 1024);
        var shortLine = "y";
        var longLine = new string('x', 79);
        // Twice: the first run also compiles the hot paths.
        await MeasureRunAsync("run, short lines (yes)", $"yes | head -c {bytes}");
        await MeasureRunAsync("run, short lines (yes)", $"yes | head -c {bytes}");
        await MeasureRunAsync("run, 80-character lines", $"yes {longLine} | head -c {bytes}");
        MeasureFeed("feed only, short lines", shortLine, bytes);
        MeasureFeed("feed only, 80-character lines", longLine, bytes);
    }

    private static async Task MeasureRunAsync(string name, string command)
    {
        var clock = Stopwatch.StartNew();
        var (kernel, userSpace) = Parsers();
        using var _ = kernel;
        using var __ = userSpace;
        var kept = new RunOutputKeeper();
        long lines = 0;
        var spec = ProcessSpec.Shell(command) with
        {
            MaxCapturedChars = 0,
            OnLine = line =>
            {
                lines++;
                kept.Add(line);
                kernel.Add(line);
                userSpace.Add(line);
            },
        };
        await ProcessRunner.RunAsync(spec);
        var found = await kernel.FinishAsync() is not null | await userSpace.FinishAsync() is not null;
        clock.Stop();
        Report(name, kept.Chars, lines, clock.Elapsed, found, kept.Kept().Length);
    }

    private static void MeasureFeed(string name, string line, long bytes)
    {
        var lines = bytes / (line.Length + 1);
        var clock = Stopwatch.StartNew();
        var (kernel, userSpace) = Parsers();
        using var _ = kernel;
        using var __ = userSpace;
        for (long i = 0; i < lines; i++)
        {
            kernel.Add(line);
            userSpace.Add(line);
        }
        var found = kernel.FinishAsync().Result is not null | userSpace.FinishAsync().Result is not null;
        clock.Stop();
        Report(name, lines * (line.Length + 1), lines, clock.Elapsed, found, null);
    }

    /// <summary>Both crash parsers in their streaming form, as a command test's run feeds them.</summary>
    private static (FedParser<CrashReport?> Kernel, FedParser<UserSpaceReport?> UserSpace) Parsers() =>
        (new(LinuxCrashParser.Parse), new(feed => UserSpaceCrashParser.Parse(feed)));

    private static void Report(string name, long chars, long lines, TimeSpan elapsed, bool found, int? keptChars)
    {
        var mb = chars / 1024.0 / 1024.0;
        var kept = keptChars is { } k ? string.Create(CultureInfo.InvariantCulture, $", {k} chars kept") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {mb:F0} MB, {lines} lines in {elapsed.TotalSeconds:F2} s = {mb / elapsed.TotalSeconds:F1} MB/s, {lines / elapsed.TotalSeconds / 1e6:F2} M lines/s; crash found: {found}{kept}"));
    }
}
