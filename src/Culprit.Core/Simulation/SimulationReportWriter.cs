using System.Globalization;
using System.Text;
using System.Text.Json;
using Culprit.Core.Domain;

namespace Culprit.Core.Simulation;

/// <summary>Writes a <see cref="SimulationReport"/> as the text tables or the JSON object of <c>culprit simulate</c>.</summary>
public static class SimulationReportWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string ToText(SimulationReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"scenarios: {report.Scenarios} (seed {report.Seed}); broken builds next to the culprit in {report.AmbiguousCases} of them");
        text.AppendLine(PricesLine(report));
        text.AppendLine();
        var bands = report.Policies.FirstOrDefault()?.ByBand ?? [];
        text.Append(Invariant, $"{"policy",-8} {"accuracy",8} {"mean runs",10} {"mean builds",12} {"mean cost",10} {"mean rounds",12}");
        foreach (var band in bands)
        {
            text.Append(Invariant, $" {band.Band,10}");
        }
        text.AppendLine();
        foreach (var policy in report.Policies)
        {
            text.Append(Invariant, $"{policy.Name,-8} {policy.Accuracy,8:0.000} {policy.MeanRuns,10:0.0} {policy.MeanBuilds,12:0.0} {policy.MeanCostMinutes,10:0.0} {policy.MeanRounds,12:0.0}");
            foreach (var band in policy.ByBand)
            {
                text.Append(Invariant, $" {band.Accuracy,10:0.000}");
            }
            text.AppendLine();
        }
        text.Append(Invariant, $"{"cases",-8} {"",8} {"",10} {"",12} {"",10} {"",12}");
        foreach (var band in bands)
        {
            text.Append(Invariant, $" {band.Cases,10}");
        }
        text.AppendLine();
        text.AppendLine();
        text.Append(Invariant, $"{"cost",-8} {"builds",8} {"runs",10} {"",12} {"",10} {"",12}");
        foreach (var band in bands)
        {
            text.Append(Invariant, $" {band.Band,10}");
        }
        text.AppendLine();
        foreach (var policy in report.Policies)
        {
            // Machine-minutes: of builds and of runs over all scenarios, then the mean per scenario of each band.
            text.Append(Invariant, $"{policy.Name,-8} {policy.MeanBuildMinutes,8:0.0} {policy.MeanRunMinutes,10:0.0} {"",12} {"",10} {"",12}");
            foreach (var band in policy.ByBand)
            {
                text.Append(Invariant, $" {band.MeanCostMinutes,10:0.0}");
            }
            text.AppendLine();
        }
        if (report.Policies.Any(p => p.CostByPhase is not null))
        {
            var prices = report.Prices ?? SimulationPrices.Kernel;
            text.AppendLine();
            text.Append(Invariant, $"{"by phase",-8}");
            foreach (var phase in PhaseCost.Phases)
            {
                text.Append(Invariant, $" {phase + " b/r/min",26}");
            }
            text.AppendLine();
            foreach (var policy in report.Policies.Where(p => p.CostByPhase is not null))
            {
                // Mean builds, runs and machine-minutes of each phase of the job.
                text.Append(Invariant, $"{policy.Name,-8}");
                foreach (var phase in policy.CostByPhase!)
                {
                    text.Append(Invariant, $" {$"{phase.Builds:0.00}/{phase.Runs:0.0}/{phase.Minutes(prices):0.0}",26}");
                }
                text.AppendLine();
            }
        }
        foreach (var policy in report.Policies.Where(p => p.Calibration is not null))
        {
            text.AppendLine();
            text.AppendLine(Invariant, $"{policy.Name} calibration (answers that state a confidence):");
            text.AppendLine(Invariant, $"{"confidence",-13} {"cases",6} {"stated",8} {"actual",8} {"gap",7}");
            foreach (var bin in policy.Calibration!)
            {
                var gap = bin.Cases == 0 ? "" : ((bin.Accuracy - bin.MeanConfidence) * 100).ToString("+0.0;-0.0", Invariant);
                var stated = bin.Cases == 0 ? "" : bin.MeanConfidence.ToString("0.0000", Invariant);
                var actual = bin.Cases == 0 ? "" : bin.Accuracy.ToString("0.0000", Invariant);
                text.AppendLine(string.Create(Invariant, $"{$"{bin.Low:0.000}-{bin.High:0.000}",-13} {bin.Cases,6} {stated,8} {actual,8} {gap,7}").TrimEnd());
            }
        }
        return text.ToString();
    }

    public static string ToJson(SimulationReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("scenarios", report.Scenarios);
            json.WriteNumber("seed", report.Seed);
            json.WriteNumber("ambiguous_cases", report.AmbiguousCases);
            WritePrices(json, report);
            json.WriteStartObject("policies");
            foreach (var policy in report.Policies)
            {
                json.WriteStartObject(policy.Name);
                json.WriteNumber("accuracy", Math.Round(policy.Accuracy, 4));
                json.WriteNumber("right", policy.Right);
                json.WriteNumber("mean_runs", Math.Round(policy.MeanRuns, 2));
                json.WriteNumber("mean_builds", Math.Round(policy.MeanBuilds, 2));
                json.WriteNumber("mean_cost_minutes", Math.Round(policy.MeanCostMinutes, 2));
                json.WriteNumber("mean_build_minutes", Math.Round(policy.MeanBuildMinutes, 2));
                json.WriteNumber("mean_run_minutes", Math.Round(policy.MeanRunMinutes, 2));
                json.WriteNumber("mean_rounds", Math.Round(policy.MeanRounds, 2));
                json.WriteNumber("confident_wrong_rate", Math.Round(policy.ConfidentWrongRate, 4));
                WritePhases(json, policy.CostByPhase, report);
                json.WriteStartObject("by_band");
                foreach (var band in policy.ByBand)
                {
                    json.WriteStartObject(band.Band);
                    json.WriteNumber("cases", band.Cases);
                    json.WriteNumber("accuracy", Math.Round(band.Accuracy, 4));
                    json.WriteNumber("mean_cost_minutes", Math.Round(band.MeanCostMinutes, 2));
                    // The band's part of the policy's mean cost over all scenarios.
                    json.WriteNumber("cost_share_minutes", report.Scenarios == 0 ? 0 : Math.Round(band.MeanCostMinutes * band.Cases / report.Scenarios, 2));
                    WritePhases(json, band.CostByPhase, report);
                    json.WriteEndObject();
                }
                json.WriteEndObject();
                if (policy.Calibration is { } calibration)
                {
                    json.WriteStartArray("calibration");
                    foreach (var bin in calibration)
                    {
                        json.WriteStartObject();
                        json.WriteNumber("low", bin.Low);
                        json.WriteNumber("high", Math.Round(bin.High, 4));
                        json.WriteNumber("cases", bin.Cases);
                        json.WriteNumber("mean_confidence", Math.Round(bin.MeanConfidence, 4));
                        json.WriteNumber("accuracy", Math.Round(bin.Accuracy, 4));
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    /// <summary>
    /// <c>simulate --cases FILE</c>: one JSON object per line and scenario (JSON Lines), its world and knobs
    /// and what each policy did on it, so that where a policy's cost or its mistakes go can be read
    /// scenario by scenario (the report's means and bands hide which ranges and repro chances cost most).
    /// </summary>
    public static void WriteCases(IReadOnlyList<SimulationReport> reports, TextWriter into)
    {
        foreach (var report in reports)
        {
            foreach (var c in report.Cases)
            {
                using var stream = new MemoryStream();
                using (var json = new Utf8JsonWriter(stream))
                {
                    json.WriteStartObject();
                    json.WriteString("world", report.World.ToWire());
                    json.WriteNumber("seed", report.Seed);
                    json.WriteNumber("index", c.Index);
                    json.WriteNumber("commits", c.Commits);
                    json.WriteNumber("repro_chance", Math.Round(c.ReproChance, 4));
                    json.WriteNumber("extra_manifestations", c.ExtraManifestations);
                    json.WriteNumber("unrelated_rate", Math.Round(c.UnrelatedRate, 4));
                    json.WriteNumber("broken_rate", Math.Round(c.BrokenRate, 4));
                    json.WriteNumber("infra_rate", Math.Round(c.InfraRate, 4));
                    json.WriteBoolean("ambiguous", c.Ambiguous);
                    json.WriteStartObject("policies");
                    foreach (var run in c.Runs)
                    {
                        json.WriteStartObject(run.Policy);
                        json.WriteBoolean("right", run.Right);
                        json.WriteString("result", run.Result.Kind.ToWire());
                        if (run.Result.Confidence is { } confidence)
                        {
                            json.WriteNumber("confidence", Math.Round(confidence, 4));
                        }
                        json.WriteNumber("runs", run.Runs);
                        json.WriteNumber("builds", run.Builds);
                        json.WriteNumber("cost_minutes", Math.Round(run.CostMinutes, 2));
                        json.WriteNumber("rounds", run.Rounds);
                        WritePhases(json, run.ByPhase, report);
                        json.WriteEndObject();
                    }
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                into.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
            }
        }
    }

    /// <summary>The <c>--worlds</c> report: per world, what the right answer is and each policy's accuracy, confident-wrong rate and cost.</summary>
    public static string ToText(IReadOnlyList<SimulationReport> worlds)
    {
        var text = new StringBuilder();
        var first = worlds[0];
        text.AppendLine(Invariant, $"scenarios: {first.Scenarios} per world (seed {first.Seed})");
        text.AppendLine(PricesLine(first));
        text.AppendLine("confident wrong: a wrong answer stated at 95 % or more (found without a stated confidence counts as certain)");
        text.AppendLine("decoy: named the commit the world plants to mislead (second bug's culprit, title or repro change, first introduction)");
        foreach (var report in worlds)
        {
            text.AppendLine();
            text.AppendLine(Invariant, $"world {report.World.ToWire()}: right answer is {report.World.Truth()}");
            text.AppendLine(Invariant, $"{"policy",-8} {"accuracy",8} {"conf.wrong",10} {"decoy",6} {"mean runs",10} {"mean builds",12} {"mean cost",10}");
            foreach (var policy in report.Policies)
            {
                text.AppendLine(Invariant,
                    $"{policy.Name,-8} {policy.Accuracy,8:0.000} {policy.ConfidentWrongRate,10:0.000} {policy.NamedDecoy,6} {policy.MeanRuns,10:0.0} {policy.MeanBuilds,12:0.0} {policy.MeanCostMinutes,10:0.0}");
            }
        }
        return text.ToString();
    }

    public static string ToJson(IReadOnlyList<SimulationReport> worlds)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("scenarios", worlds[0].Scenarios);
            json.WriteNumber("seed", worlds[0].Seed);
            WritePrices(json, worlds[0]);
            json.WriteStartObject("worlds");
            foreach (var report in worlds)
            {
                json.WriteStartObject(report.World.ToWire());
                json.WriteString("right_answer", report.World.Truth());
                json.WriteNumber("ambiguous_cases", report.AmbiguousCases);
                json.WriteStartObject("policies");
                foreach (var policy in report.Policies)
                {
                    json.WriteStartObject(policy.Name);
                    json.WriteNumber("accuracy", Math.Round(policy.Accuracy, 4));
                    json.WriteNumber("confident_wrong_rate", Math.Round(policy.ConfidentWrongRate, 4));
                    json.WriteNumber("named_decoy", policy.NamedDecoy);
                    json.WriteNumber("mean_runs", Math.Round(policy.MeanRuns, 2));
                    json.WriteNumber("mean_builds", Math.Round(policy.MeanBuilds, 2));
                    json.WriteNumber("mean_cost_minutes", Math.Round(policy.MeanCostMinutes, 2));
                    json.WriteEndObject();
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    private static string PricesLine(SimulationReport report)
    {
        var prices = report.Prices ?? SimulationPrices.Kernel;
        return string.Create(Invariant, $"prices: a build {prices.BuildMinutes:0.##} min, a run {prices.RunMinutes:0.##} min; cost is mean machine-minutes (a commit is built once); {report.Workers} {(report.Workers == 1 ? "worker" : "workers")} (a round tests up to that many commits at once); confidence asked of the flaky policy: {report.Confidence * 100:0.##}%")
            + (report.Without == ScenarioNoise.None ? ""
                : $"{Environment.NewLine}left out of every scenario: {string.Join(", ", report.Without.ToWire())} (the same ranges, culprits and repro chances as with them)");
    }

    /// <summary>JSON <c>cost_by_phase</c>: each phase's mean builds, runs and machine-minutes.</summary>
    private static void WritePhases(Utf8JsonWriter json, IReadOnlyList<PhaseCost>? phases, SimulationReport report)
    {
        if (phases is null)
        {
            return;
        }
        var prices = report.Prices ?? SimulationPrices.Kernel;
        json.WriteStartObject("cost_by_phase");
        foreach (var phase in phases)
        {
            json.WriteStartObject(phase.Phase);
            json.WriteNumber("builds", Math.Round(phase.Builds, 2));
            json.WriteNumber("runs", Math.Round(phase.Runs, 2));
            json.WriteNumber("minutes", Math.Round(phase.Minutes(prices), 2));
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WritePrices(Utf8JsonWriter json, SimulationReport report)
    {
        var prices = report.Prices ?? SimulationPrices.Kernel;
        json.WriteNumber("build_minutes", prices.BuildMinutes);
        json.WriteNumber("run_minutes", prices.RunMinutes);
        json.WriteNumber("workers", report.Workers);
        json.WriteNumber("confidence", report.Confidence);
        json.WriteStartArray("without");
        foreach (var name in report.Without.ToWire())
        {
            json.WriteStringValue(name);
        }
        json.WriteEndArray();
    }
}
