using System.Diagnostics;
using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;
using Culprit.Git;
using Culprit.Processes;

// The engine alone on a mkbighistory.sh repository: load the range (streamed rev-list + ancestry),
// then bisect it with one strategy, each commit judged by whether its tree holds `bug` (one git call
// per step, outside the timed decisions). Prints load time, each decision's time (Next() and
// Record(), and Record() alone: what a resume pays per stored outcome), the peak working set and the managed heap.
//   dotnet run -c Release --project bench/Culprit.Bench.Scale -- REPO classic|flaky
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Culprit.Bench.Scale REPO classic|flaky");
    return 2;
}
var path = args[0];
var strategyName = args[1];
var git = await GitRepository.OpenAsync(path);
var bad = await git.ResolveAsync("bh-bad");
var good = await git.ResolveAsync("bh-good");
var culprit = await git.ResolveAsync("bh-culprit");

var watch = Stopwatch.StartNew();
var graph = await git.RangeAsync(bad, [good]);
var load = watch.Elapsed;
Console.WriteLine($"range: {graph.Count} commits, {graph.Ancestry.IntervalCount} ancestry intervals; loaded in {load.TotalSeconds:0.00} s");

watch.Restart();
IBisectionStrategy strategy = strategyName == "classic"
    ? new ClassicStrategy(graph, AnyCrashPolicy.Instance, runs: 1)
    : new FlakyStrategy(graph, FlakyOptions.Default);
Console.WriteLine($"strategy made in {watch.Elapsed.TotalSeconds:0.000} s");
var decisions = new List<double>();
var records = new List<double>();
var cpus = new List<double>();
var outcome = Outcome(bad);
string? found = null;
for (var step = 0; step < 200; step++)
{
    watch.Restart();
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    strategy.Record(outcome);
    records.Add(watch.Elapsed.TotalSeconds);
    var next = strategy.Next();
    decisions.Add(watch.Elapsed.TotalSeconds);
    cpus.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
    if (next is Finished f)
    {
        found = f.Result.Culprit;
        break;
    }
    var test = (TestCommit)next;
    outcome = Outcome(test.Commit, test.Runs);
}
Console.WriteLine("decisions: " + string.Join(" ", decisions.Select(d => d.ToString("0.000"))));
// A resume records its stored outcomes without their decisions: what each costs alone.
Console.WriteLine($"of which Record(): max {records.Max():0.000} s, mean {records.Average():0.000} s: " + string.Join(" ", records.Select(d => d.ToString("0.000"))));
Console.WriteLine($"decision CPU: max {cpus.Max():0.000} s, mean {cpus.Average():0.000} s: " + string.Join(" ", cpus.Select(d => d.ToString("0.000"))));
var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
Console.WriteLine($"{strategyName}: {(found == culprit ? "found the culprit" : $"WRONG: {found ?? "none"}")} in {decisions.Count - 1} tests; " +
    $"decision max {decisions.Max():0.000} s, mean {decisions.Average():0.000} s; peak working set {peak:0} MB; managed heap {GC.GetTotalMemory(false) / 1048576.0:0} MB");
return found == culprit ? 0 : 1;

CommitOutcome Outcome(string commit, int runs = 1)
{
    var hasBug = ProcessRunner.RunAsync(ProcessSpec.Of("git", "-C", path, "cat-file", "-e", $"{commit}:bug")).GetAwaiter().GetResult().ExitCode == 0;
    return new CommitOutcome(commit, true, Enumerable.Range(0, runs).Select(_ => hasBug ? RunOutcome.Crash("exit status 1") : RunOutcome.Ok()).ToList());
}
