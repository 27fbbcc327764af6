using System.CommandLine;
using Culprit.Cli.Demo;
using Culprit.Jobs;
using Culprit.Store;

namespace Culprit.Cli.Commands;

/// <summary>
/// <c>culprit demo</c>: creates the built-in example repository and bisects it for real
/// (gcc builds, AddressSanitizer crashes), the way a new user first meets Culprit.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var dir = new Option<string?>("--dir") { Description = "where to create the demo repository (default: a new temporary directory)" };
        var flaky = new Option<bool>("--flaky") { Description = "the crash shows in about a third of the runs" };
        var fix = new Option<bool>("--fix") { Description = "the history also fixes the bug; find the fixing commit" };
        var strategy = new Option<string?>("--strategy") { Description = "flaky (the default) or classic" };
        var runs = new Option<int>("--runs") { Description = "test runs per commit", DefaultValueFactory = _ => 10 };
        var json = new Option<string?>("--json") { Description = "write the result object to this file" };
        var store = StoreOption.Create();
        var command = new Command("demo", "Create the example repository and bisect it.") { dir, flaky, fix, strategy, runs, json, store };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse, async () =>
        {
            var output = parse.InvocationConfiguration.Output;
            var path = Path.GetFullPath(parse.GetValue(dir) ?? Path.Combine(Path.GetTempPath(), $"culprit-demo-{Guid.NewGuid():N}"[..21]));
            var isFix = parse.GetValue(fix);
            var isFlaky = parse.GetValue(flaky);
            var demo = await DemoRepository.CreateAsync(path, isFlaky, isFix, ct);
            await output.WriteLineAsync($"demo repository: {demo.Path}");
            await output.WriteLineAsync(isFix
                ? $"(the bug was fixed by {demo.Fix} {DemoRepository.FixSubject})"
                : $"(the bug came in with {demo.Bug} {DemoRepository.BugSubject})");
            var spec = new JobSpec
            {
                Repo = demo.Path,
                Bad = isFix ? "v1.3" : "HEAD",
                Good = isFix ? "HEAD" : null,
                Direction = isFix ? Direction.Fix : Direction.Cause,
                Build = "make",
                Test = "./test.sh",
                Runs = parse.GetValue(runs),
                RunTimeoutSeconds = 60,
                Strategy = parse.GetValue(strategy) ?? StrategyFactory.Default,
            };
            var equivalent = isFix
                ? $"culprit bisect --fix --repo {demo.Path} --bad v1.3 --good HEAD --build make --test ./test.sh --strategy {spec.Strategy}"
                : $"culprit bisect --repo {demo.Path} --bad HEAD --build make --test ./test.sh --strategy {spec.Strategy}";
            await output.WriteLineAsync($"running: {equivalent}");
            using var jobs = JobStore.Open(parse.GetValue(store)!);
            OutputFile.Check(parse.GetValue(json), jobs.FilePath, "--json");
            using var listener = ConsoleJobListener.For(output);
            var runner = JobCommands.Runner(jobs, listener);
            var id = await runner.CreateAsync(spec, ct);
            await output.WriteLineAsync($"job: {id}");
            return await JobCommands.RunToResultAsync(runner, id, parse.GetValue(json), parse, ct);
        }));
        return command;
    }
}
