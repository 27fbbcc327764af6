using System.Globalization;
using System.Text;
using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;

namespace Culprit.Jobs.Simulation;

/// <summary>
/// One scenario of a <c>simulate</c> run told in full (<c>simulate --log N</c>): what the world is (range, culprit,
/// repro chance, the bug's titles, the noise), then each policy's job log as <c>bisect</c> prints it, headed by its
/// result and cost. The scenario and the jobs are the ones the report scored (the same seed, world, prices and noise),
/// so a case the report or <c>--cases</c> shows as wrong or costly can be read step by step.
/// </summary>
public static class CaseLog
{
    public static async Task WriteAsync(TextWriter output, int index, int seed, IReadOnlyList<SimulatedPolicy> policies, SimulationPrices prices,
        World world, int workers, ScenarioNoise without, CancellationToken ct = default)
    {
        var scenario = Simulator.ScenarioAt(index, seed, world, prices, without);
        await output.WriteAsync(Describe(scenario, seed));
        foreach (var policy in policies)
        {
            var (scored, job) = await PolicyRunner.RunWithJobAsync(scenario, policy, prices, workers, ct);
            await output.WriteLineAsync();
            await output.WriteLineAsync(Heading(scored));
            foreach (var line in job.Log)
            {
                await output.WriteLineAsync(line);
            }
        }
    }

    /// <summary>The world of the scenario: what a policy would have to find and what stands in its way.</summary>
    internal static string Describe(Scenario scenario, int seed)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"scenario {scenario.Index} of seed {seed}, world {scenario.World.ToWire()}: {scenario.Graph.Count} commits, bad commit {scenario.Graph.Commits[0]}");
        var between = scenario.Ambiguous
            ? $" (broken builds next to it: the right answer is inconclusive between {string.Join(", ", scenario.RightCandidates)})"
            : "";
        text.AppendLine(inv, $"culprit: {scenario.CulpritCommit}{between}");
        text.AppendLine(inv, $"right answer: {scenario.World.Truth()}");
        if (scenario.Facts.Decoy is { } decoy)
        {
            text.AppendLine(inv, $"decoy: {scenario.Graph.Commits[decoy]}");
        }
        text.AppendLine(inv, $"repro chance: {scenario.ReproChance:0.000} a run; the bug's titles: {Titles(scenario.Manifestations)}");
        text.AppendLine(inv, $"unrelated crashes: {scenario.UnrelatedRate * 100:0.0} % of runs ({Titles(scenario.UnrelatedCrashes)})");
        text.AppendLine(inv, $"broken builds: {scenario.BrokenRate * 100:0.0} % of commits; infra errors: {scenario.InfraRate * 100:0.0} % of runs");
        if (scenario.Facts.Releases is { } releases)
        {
            text.AppendLine(inv, $"releases, newest first: {string.Join(", ", releases.Select(r => $"{r}{(Contains(scenario, r) ? " (has the bug)" : "")}"))}");
        }
        return text.ToString();
    }

    private static bool Contains(Scenario scenario, string commit) => scenario.Graph.IndexOf(commit) is >= 0 and var i && scenario.HasBug(i);

    /// <summary>Each title with its share of the crashes and its alt titles.</summary>
    private static string Titles(IReadOnlyList<Manifestation> titles)
    {
        var total = titles.Sum(t => t.Weight);
        return string.Join("; ", titles.Select(t => string.Create(CultureInfo.InvariantCulture,
            $"{t.Title} {t.Weight / total * 100:0}%{(t.AltTitles.Count > 0 ? $" (alt: {string.Join(", ", t.AltTitles)})" : "")}")));
    }

    private static string Heading(PolicyRun run)
    {
        var answer = run.Result.Kind switch
        {
            ResultKind.Found => $"found {run.Result.Culprit}",
            ResultKind.Inconclusive when run.Result.Candidates.Count > 0 => $"inconclusive between {string.Join(", ", run.Result.Candidates)}",
            var kind => kind.ToWire(),
        };
        var confidence = run.Result.Confidence is { } c ? string.Create(CultureInfo.InvariantCulture, $" at {c * 100:0.0}%") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"== {run.Policy}: {answer}{confidence}, {(run.Right ? "right" : "wrong")}; {run.Runs} runs, {run.Builds} builds, {run.CostMinutes:0.0} machine-minutes, {run.Rounds} rounds");
    }
}
