using System.CommandLine;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Culprit.Jobs.Simulation;

namespace Culprit.Cli.Commands;

/// <summary>
/// <c>culprit simulate --scenarios N --seed S [--json] [--policies a,b] [--build-minutes B --run-minutes R] [--worlds] [--workers K]</c>:
/// runs the bisection policies on generated scenarios (no git, no builds) and prints their accuracy,
/// runs, builds and machine-minutes; with <c>--worlds</c>, per world, accuracy and confident-wrong rate.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>Every scenario's result is kept for the report: a million is minutes of work and a few hundred MB.</summary>
    public const int MaxScenarios = 1_000_000;

    public static Command Create()
    {
        var scenarios = new Option<int>("--scenarios")
        {
            Description = "How many scenarios to generate.",
            DefaultValueFactory = _ => 1000,
            // Type and range in one place, before anything runs (a huge count would allocate for every scenario).
            CustomParser = arg =>
            {
                var text = arg.Tokens.Count > 0 ? arg.Tokens[^1].Value : "";
                if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n))
                {
                    arg.AddError($"--scenarios must be a whole number (got '{text}')");
                }
                else if (n is < 1 or > MaxScenarios)
                {
                    arg.AddError($"--scenarios must be between 1 and {MaxScenarios} (got {n})");
                }
                return n;
            },
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the scenarios; the same seed gives the same report.",
            DefaultValueFactory = _ => 1,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var policies = new Option<string[]>("--policies")
        {
            Description = $"Policies to compare (default: all of {string.Join(", ", SimulatedPolicy.All.Select(p => p.Name))}).",
            AllowMultipleArgumentsPerToken = true,
        };
        var buildMinutes = new Option<double>("--build-minutes")
        {
            Description = "Machine-minutes of one build (default: the seed log's kernel build, 6).",
            DefaultValueFactory = _ => SimulationPrices.KernelBuildMinutes,
        };
        var runMinutes = new Option<double>("--run-minutes")
        {
            Description = "Machine-minutes of one run (default: the seed log's boot and run, 0.6).",
            DefaultValueFactory = _ => SimulationPrices.KernelRunMinutes,
        };
        var worlds = new Option<bool>("--worlds")
        {
            Description = "Also run worlds the flaky model does not assume (a second bug, a title or repro chance change, a reintroduced bug, the release walk), each reported on its own.",
        };
        var workers = new Option<int>("--workers")
        {
            Description = $"Commits each simulated job tests at once (1 to {Jobs.JobSpecValidator.MaxWorkers}); the report counts rounds.",
            DefaultValueFactory = _ => 1,
        };
        workers.Validators.Add(result =>
        {
            var k = result.GetValueOrDefault<int>();
            if (k is < 1 or > Jobs.JobSpecValidator.MaxWorkers)
            {
                result.AddError($"--workers must be between 1 and {Jobs.JobSpecValidator.MaxWorkers} (got {k})");
            }
        });
        var command = new Command("simulate", "Measure the bisection strategies on generated scenarios: accuracy, runs, builds, machine-minutes.")
        {
            scenarios, seed, json, policies, buildMinutes, runMinutes, worlds, workers,
        };
        foreach (var price in new[] { buildMinutes, runMinutes })
        {
            price.Validators.Add(result =>
            {
                var minutes = result.GetValueOrDefault<double>();
                if (!(minutes > 0 && minutes <= 10_000))
                {
                    result.AddError($"{price.Name} must be a number of minutes above 0 and at most 10000");
                }
            });
        }
        command.Validators.Add(result =>
        {
            var unknown = Names(result.GetValue(policies)).Where(n => SimulatedPolicy.All.All(p => p.Name != n)).ToList();
            if (unknown.Count > 0)
            {
                result.AddError($"unknown policy: {string.Join(", ", unknown)} (known: {string.Join(", ", SimulatedPolicy.All.Select(p => p.Name))})");
            }
        });
        command.SetAction(parseResult =>
        {
            var chosen = Names(parseResult.GetValue(policies));
            if (chosen.Count == 0)
            {
                chosen = SimulatedPolicy.All.Select(p => p.Name).ToList();
            }
            var prices = new SimulationPrices(parseResult.GetValue(buildMinutes), parseResult.GetValue(runMinutes));
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(worlds))
            {
                var all = Simulator.RunWorlds(parseResult.GetValue(scenarios), parseResult.GetValue(seed), chosen, prices: prices);
                output.Write(parseResult.GetValue(json) ? SimulationReportWriter.ToJson(all) : SimulationReportWriter.ToText(all));
                return 0;
            }
            var report = Simulator.Run(parseResult.GetValue(scenarios), parseResult.GetValue(seed), chosen, prices: prices, workers: parseResult.GetValue(workers));
            output.Write(parseResult.GetValue(json) ? SimulationReportWriter.ToJson(report) : SimulationReportWriter.ToText(report));
            return 0;
        });
        return command;
    }

    /// <summary>Accepts both <c>--policies a b</c> and <c>--policies a,b</c>.</summary>
    private static List<string> Names(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
