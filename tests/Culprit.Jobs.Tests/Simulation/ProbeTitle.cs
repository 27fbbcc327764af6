using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Culprit.Jobs.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

public class ProbeTitle
{
    [Fact]
    public async Task Probe()
    {
        var seed = int.Parse(Environment.GetEnvironmentVariable("PROBE_SEED") ?? "1");
        var count = int.Parse(Environment.GetEnvironmentVariable("PROBE_N") ?? "300");
        var world = Enum.Parse<World>(Environment.GetEnvironmentVariable("PROBE_WORLD") ?? "TitleChange");
        var dir = $"/tmp/h-title/probe-{world}-{seed}";
        Directory.CreateDirectory(dir);
        var summary = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) =>
        {
            var s = ScenarioWorlds.Generate(i, seed, world, SimulationPrices.Kernel.Timings(ScenarioKnobs.None));
            var job = await SimulatedJob.RunAsync(s, SimulatedPolicy.Flaky);
            var right = Scoring.IsRight(s, job.Answer);
            var decoy = s.Facts.Decoy is { } d && job.Answer.Kind == ResultKind.Found && job.Answer.Culprit == s.Graph.Commits[d];
            var cw = !right && job.Answer.Kind == ResultKind.Found && (job.Answer.Confidence ?? 1) >= 0.95;
            var kind = right ? "right" : decoy ? "decoy" : job.Answer.Kind == ResultKind.Found ? "wrongfound" : job.Answer.Kind.ToString();
            var line = $"{i} {kind} cw={cw} p={s.ReproChance:0.000} n={s.Graph.Count} culprit={s.CulpritCommit[..12]} decoy={(s.Facts.Decoy is { } dd ? s.Graph.Commits[dd][..12] : "-")} answer={job.Answer.Culprit?[..12]} conf={job.Answer.Confidence:0.000} runs={job.Runs} builds={job.Builds}";
            summary.Add(line);
            if (!right)
            {
                await File.WriteAllLinesAsync($"{dir}/{i:000}-{kind}.log", job.Log.Prepend(line)
                    .Prepend("manifestations: " + string.Join(" | ", s.Manifestations.Select(m => m.Title + " w" + m.Weight)))
                    .Prepend("new: " + string.Join(" | ", (s.Facts.NewManifestations ?? []).Select(m => m.Title + " alt " + string.Join(",", m.AltTitles))))
                    .Prepend("unrelated: " + string.Join(" | ", s.UnrelatedCrashes.Select(m => m.Title))), ct);
            }
        });
        await File.WriteAllLinesAsync($"{dir}/summary.txt", summary.OrderBy(l => int.Parse(l.Split(' ')[0])));
    }
}
