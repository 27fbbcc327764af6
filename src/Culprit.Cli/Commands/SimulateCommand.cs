using System.CommandLine;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;

namespace Culprit.Cli.Commands;

/// <summary>
/// <c>culprit simulate --scenarios N --seed S [--json] [--policies a,b]</c>: runs the bisection
/// policies on generated scenarios (no git, no builds) and prints their accuracy, runs and builds.
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
        var command = new Command("simulate", "Measure the bisection strategies on generated scenarios: accuracy, runs, builds.")
        {
            scenarios, seed, json, policies,
        };
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
            var report = Simulator.Run(parseResult.GetValue(scenarios), parseResult.GetValue(seed), chosen);
            var output = parseResult.InvocationConfiguration.Output;
            output.Write(parseResult.GetValue(json) ? SimulationReportWriter.ToJson(report) : SimulationReportWriter.ToText(report));
            return 0;
        });
        return command;
    }

    /// <summary>Accepts both <c>--policies a b</c> and <c>--policies a,b</c>.</summary>
    private static List<string> Names(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
