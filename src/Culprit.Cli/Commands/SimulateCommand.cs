using System.CommandLine;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Culprit.Jobs.Simulation;

namespace Culprit.Cli.Commands;

/// <summary>
/// <c>culprit simulate --scenarios N --seed S [--json] [--policies a,b] [--build-minutes B --run-minutes R] [--worlds] [--workers K] [--confidence C] [--cases FILE] [--without NOISE,...]</c>:
/// runs the bisection policies on generated scenarios (no git, no builds) and prints their accuracy,
/// runs, builds and machine-minutes; with <c>--worlds</c>, per world, accuracy and confident-wrong rate.
/// <c>--confidence</c> is <c>bisect</c>'s: what it buys and costs the flaky policy is what an operator weighs.
/// <c>--log N [--log-world W]</c> prints scenario N's world and each policy's job log instead of the report.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>Every scenario's result is kept for the report: a million is minutes of work and a few hundred MB.</summary>
    public const int MaxScenarios = 1_000_000;

    public static Command Create()
    {
        var scenarios = Checked("--scenarios", "How many scenarios to generate.", 1000, WholeNumber,
            n => n is < 1 or > MaxScenarios ? $"--scenarios must be between 1 and {MaxScenarios} (got {n})" : null);
        var seed = Checked("--seed", "Seed of the scenarios; the same seed gives the same report.", 1, WholeNumber, _ => null);
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var policies = new Option<string[]>("--policies")
        {
            Description = $"Policies to compare (default: all of {string.Join(", ", SimulatedPolicy.All.Select(p => p.Name))}).",
            AllowMultipleArgumentsPerToken = true,
        };
        var buildMinutes = Checked("--build-minutes", "Machine-minutes of one build (default: the seed log's kernel build, 6).",
            SimulationPrices.KernelBuildMinutes, Number, Minutes("--build-minutes"));
        var runMinutes = Checked("--run-minutes", "Machine-minutes of one run (default: the seed log's boot and run, 0.6).",
            SimulationPrices.KernelRunMinutes, Number, Minutes("--run-minutes"));
        var worlds = new Option<bool>("--worlds")
        {
            Description = "Also run worlds the flaky model does not assume (a second bug, a title or repro chance change, a reintroduced bug, the release walk, a later commit making the bug show 4-16 times as often), each reported on its own.",
        };
        var workers = Checked("--workers", $"Commits each simulated job tests at once (1 to {Jobs.JobSpecValidator.MaxWorkers}); the report counts rounds.", 1, WholeNumber,
            k => k is < 1 or > Jobs.JobSpecValidator.MaxWorkers ? $"--workers must be between 1 and {Jobs.JobSpecValidator.MaxWorkers} (got {k})" : null);
        var confidence = Checked("--confidence", "The flaky policy's --confidence, as in bisect: it stops when one commit is the culprit with this probability.",
            SimulatedPolicy.Flaky.Confidence, Number, Jobs.JobSpecValidator.ConfidenceError);
        var cases = new Option<string?>("--cases")
        {
            Description = "Also write every scenario, its knobs and each policy's result, runs, builds and cost, to this file (one JSON object per line).",
        };
        var without = new Option<string[]>("--without")
        {
            Description = $"Leave noise out of every scenario, to see what it costs: {string.Join(", ", ScenarioNoiseNames.Known)} (the same ranges, culprits and repro chances as with it).",
            AllowMultipleArgumentsPerToken = true,
        };
        var log = Checked<int?>("--log", "Print scenario N (numbered from 0, as --cases numbers them) and each policy's job log on it instead of the report.",
            null, (string text, out int? value) => (value = WholeNumber(text, out var n) ? n : null) is not null,
            n => n is < 0 or >= MaxScenarios ? $"--log must be a scenario number from 0 to {MaxScenarios - 1} (got {n})" : null);
        var logWorld = new Option<string?>("--log-world")
        {
            Description = $"The world of the scenario --log prints: {string.Join(", ", WorldNames.Known)} (default: model).",
        };
        var command = new Command("simulate", "Measure the bisection strategies on generated scenarios: accuracy, runs, builds, machine-minutes.")
        {
            scenarios, seed, json, policies, buildMinutes, runMinutes, worlds, workers, confidence, cases, without, log, logWorld,
        };
        command.Validators.Add(result =>
        {
            var unknown = Names(result.GetValue(policies)).Where(n => SimulatedPolicy.All.All(p => p.Name != n)).ToList();
            if (unknown.Count > 0)
            {
                result.AddError($"unknown policy: {string.Join(", ", unknown)} (known: {string.Join(", ", SimulatedPolicy.All.Select(p => p.Name))})");
            }
            var unknownNoise = Names(result.GetValue(without)).Where(n => !ScenarioNoiseNames.TryParse(n, out _)).ToList();
            if (unknownNoise.Count > 0)
            {
                result.AddError($"unknown noise for --without: {string.Join(", ", unknownNoise)} (known: {string.Join(", ", ScenarioNoiseNames.Known)})");
            }
            if (result.GetValue(logWorld) is { } name && !WorldNames.TryParse(name, out _))
            {
                result.AddError($"unknown world for --log-world: {name} (known: {string.Join(", ", WorldNames.Known)})");
            }
            if (result.GetResult(logWorld) is { Implicit: false } && result.GetResult(log) is null or { Implicit: true })
            {
                result.AddError("--log-world names the world of the scenario --log prints: give --log N too");
            }
            if (result.GetResult(log) is { Implicit: false }
                && new Option[] { worlds, cases, json, scenarios }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } other)
            {
                result.AddError($"--log prints one scenario's job logs, not a report: it does not go with {other.Name}");
            }
        });
        command.SetAction((parseResult, ct) => CliErrors.GuardAsync(parseResult, () =>
        {
            var casesFile = parseResult.GetValue(cases);
            OutputFile.Check(casesFile, null, "--cases");
            var chosen = Names(parseResult.GetValue(policies));
            if (chosen.Count == 0)
            {
                chosen = SimulatedPolicy.All.Select(p => p.Name).ToList();
            }
            var prices = new SimulationPrices(parseResult.GetValue(buildMinutes), parseResult.GetValue(runMinutes));
            var leftOut = Names(parseResult.GetValue(without)).Aggregate(ScenarioNoise.None,
                (all, name) => ScenarioNoiseNames.TryParse(name, out var noise) ? all | noise : all);
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(log) is { } index)
            {
                var world = WorldNames.TryParse(parseResult.GetValue(logWorld) ?? "", out var w) ? w : World.Model;
                var named = chosen.Select(p => SimulatedPolicy.Named(p, parseResult.GetValue(confidence))).ToList();
                return CaseLogAsync(output, index, parseResult.GetValue(seed), named, prices, world, parseResult.GetValue(workers), leftOut, ct);
            }
            if (parseResult.GetValue(worlds))
            {
                var all = Simulator.RunWorlds(parseResult.GetValue(scenarios), parseResult.GetValue(seed), chosen, prices: prices,
                    confidence: parseResult.GetValue(confidence), without: leftOut);
                WriteCases(casesFile, all);
                output.Write(parseResult.GetValue(json) ? SimulationReportWriter.ToJson(all) : SimulationReportWriter.ToText(all));
                return Task.FromResult(0);
            }
            var report = Simulator.Run(parseResult.GetValue(scenarios), parseResult.GetValue(seed), chosen, prices: prices, workers: parseResult.GetValue(workers),
                confidence: parseResult.GetValue(confidence), without: leftOut);
            WriteCases(casesFile, [report]);
            output.Write(parseResult.GetValue(json) ? SimulationReportWriter.ToJson(report) : SimulationReportWriter.ToText(report));
            return Task.FromResult(0);
        }));
        return command;
    }

    /// <summary><c>--log</c>: the scenario and each policy's job log; its errors reach the guard as they are.</summary>
    private static async Task<int> CaseLogAsync(TextWriter output, int index, int seed, IReadOnlyList<SimulatedPolicy> policies, SimulationPrices prices,
        World world, int workers, ScenarioNoise without, CancellationToken ct)
    {
        await CaseLog.WriteAsync(output, index, seed, policies, prices, world, workers, without, ct);
        return 0;
    }

    private static void WriteCases(string? file, IReadOnlyList<SimulationReport> reports)
    {
        if (file is null)
        {
            return;
        }
        using var writer = new StreamWriter(file);
        SimulationReportWriter.WriteCases(reports, writer);
    }

    private delegate bool Parse<T>(string text, out T value);

    private static bool WholeNumber(string text, out int value) =>
        int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out value);

    private static bool Number(string text, out double value) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);

    private static Func<double, string?> Minutes(string name) =>
        minutes => minutes is > 0 and <= 10_000 ? null : $"{name} must be a number of minutes above 0 and at most 10000";

    /// <summary>
    /// An option whose type and range are checked in one place, before anything runs: a value that does
    /// not parse or breaks <paramref name="rule"/> is a one-line error (a validator reading an unparsed
    /// value would throw instead), and a huge scenario count is refused before anything is allocated.
    /// </summary>
    private static Option<T> Checked<T>(string name, string description, T defaultValue, Parse<T> parse, Func<T, string?> rule) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = arg =>
            {
                var text = arg.Tokens.Count > 0 ? arg.Tokens[^1].Value : "";
                if (!parse(text, out var value))
                {
                    arg.AddError(CliErrors.NotANumber(name, typeof(T), text));
                }
                else if (rule(value) is { } error)
                {
                    arg.AddError(error);
                }
                return value;
            },
        };

    /// <summary>Accepts both <c>--policies a b</c> and <c>--policies a,b</c>.</summary>
    private static List<string> Names(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
