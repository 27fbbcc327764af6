using System.CommandLine;
using System.Text.Json;
using Culprit.Jobs;
using Culprit.Store;

namespace Culprit.Cli.Commands;

/// <summary><c>culprit bisect</c>: start a job and run it to its result.</summary>
internal static class BisectCommand
{
    public static Command Create()
    {
        var repo = new Option<string>("--repo") { Description = "git repository to bisect", Required = true };
        var bad = new Option<string>("--bad") { Description = "a commit that crashes (the old one with --fix)", Required = true };
        var good = new Option<string?>("--good") { Description = "a commit that does not crash (default: walk back over release tags; with --fix: the newer fixed commit)" };
        var build = new Option<string?>("--build") { Description = "shell command that builds the checked-out commit" };
        var test = new Option<string?>("--test") { Description = "shell command that tests it once: 0 = OK, 125 = infra error, else crashed" };
        var runs = new Option<int>("--runs") { Description = "test runs per commit", DefaultValueFactory = _ => 10 };
        var runTimeout = new Option<double>("--run-timeout") { Description = "seconds one run may take", DefaultValueFactory = _ => 600 };
        var json = new Option<string?>("--json") { Description = "write the result object to this file" };
        var strategy = new Option<string>("--strategy") { Description = "classic (git bisect) or flaky (Bayesian)", DefaultValueFactory = _ => "classic" };
        var fix = new Option<bool>("--fix") { Description = "find the commit that fixed the crash" };
        var termOld = new Option<string?>("--term-old") { Description = "name of the old state (like git bisect)" };
        var termNew = new Option<string?>("--term-new") { Description = "name of the new state (like git bisect)" };
        var noVerify = new Option<bool>("--no-verify") { Description = "do not verify the culprit" };
        var store = StoreOption.Create();

        var command = new Command("bisect", "Find the commit that introduced (or fixed) a crash.")
        {
            repo, bad, good, build, test, runs, runTimeout, json, strategy, fix, termOld, termNew, noVerify, store,
        };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse, async () =>
        {
            var isFix = parse.GetValue(fix);
            var spec = new JobSpec
            {
                Repo = parse.GetValue(repo)!,
                Bad = parse.GetValue(bad)!,
                Good = parse.GetValue(good),
                Build = parse.GetValue(build),
                Test = parse.GetValue(test),
                Runs = parse.GetValue(runs),
                RunTimeoutSeconds = parse.GetValue(runTimeout),
                Strategy = parse.GetValue(strategy)!,
                Direction = isFix ? Direction.Fix : Direction.Cause,
                TermOld = parse.GetValue(termOld) ?? "good",
                TermNew = parse.GetValue(termNew) ?? "bad",
                Verify = !parse.GetValue(noVerify),
            };
            Validate(spec);
            using var jobs = JobStore.Open(parse.GetValue(store)!);
            var output = parse.InvocationConfiguration.Output;
            using var listener = ConsoleJobListener.For(output);
            var runner = JobCommands.Runner(jobs, listener);
            var id = await runner.CreateAsync(spec, ct);
            return await JobCommands.RunToResultAsync(runner, id, parse.GetValue(json), parse, ct);
        }));
        return command;
    }

    private static void Validate(JobSpec spec)
    {
        if (spec.Runs < 1)
        {
            throw new JobException($"--runs must be at least 1 (got {spec.Runs})");
        }
        if (spec.RunTimeoutSeconds <= 0)
        {
            throw new JobException("--run-timeout must be positive");
        }
        if (spec.Kernel is null && string.IsNullOrWhiteSpace(spec.Build))
        {
            throw new JobException("--build is required (or --kernel)");
        }
        if (spec.Kernel is null && string.IsNullOrWhiteSpace(spec.Test))
        {
            throw new JobException("--test is required (or --kernel)");
        }
        if (spec.Direction == Direction.Fix && spec.Good is null)
        {
            throw new JobException("--fix needs --good: the newer commit where the crash is gone");
        }
    }
}

/// <summary>What bisect and resume share: building the runner and writing the result.</summary>
internal static class JobCommands
{
    public static JobRunner Runner(JobStore store, IJobListener listener) =>
        new(store, Jobs.Testers.Testers.InWorkRoot(StoreOption.WorkRoot(store), CrashParsing.Parse), listener, StoreOption.WorkRoot(store));

    public static async Task<int> RunToResultAsync(JobRunner runner, string id, string? jsonFile, ParseResult parse, CancellationToken ct)
    {
        JobResult result;
        try
        {
            result = await runner.RunAsync(id, ct);
        }
        catch (JobFailedException failed)
        {
            await WriteJsonAsync(jsonFile, failed.Result);
            throw;
        }
        await WriteJsonAsync(jsonFile, result);
        return 0;
    }

    private static async Task WriteJsonAsync(string? file, JobResult result)
    {
        if (file is null)
        {
            return;
        }
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(result, JsonDefaults.Indented) + "\n");
    }
}
