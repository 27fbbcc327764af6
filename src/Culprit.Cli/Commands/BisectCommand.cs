using System.CommandLine;
using System.Text.Json;
using Culprit.Jobs;
using Culprit.Store;

namespace Culprit.Cli.Commands;

/// <summary><c>culprit bisect</c>: start a job and run it to its result.</summary>
internal static class BisectCommand
{
    public static Command Create() => Create("bisect", "Find the commit that introduced (or fixed) a crash.\n" + ExitStatus.Help, run: null);

    /// <summary>
    /// The command with bisect's options (one definition); given <paramref name="run"/> (<c>culprit submit</c>),
    /// it does that with the checked spec instead of running the job here, and has no --store or --json.
    /// </summary>
    public static Command Create(string name, string description, Func<ParseResult, JobSpec, CancellationToken, Task<int>>? run)
    {
        var repo = new Option<string>("--repo") { Description = "git repository to bisect", Required = true };
        var bad = new Option<string>("--bad") { Description = "a commit that crashes (the old one with --fix)", Required = true };
        var good = new Option<string[]>("--good")
        {
            Description = "a commit that does not crash (default: walk back over release tags; with --fix: the newer fixed commit); may be given again for more good commits, as git bisect start BAD GOOD1 GOOD2",
        };
        var build = new Option<string?>("--build") { Description = "shell command that builds the checked-out commit" };
        var test = new Option<string?>("--test") { Description = "shell command that tests it once: 0 = OK, 125 = infra error, else crashed" };
        var runs = new Option<int>("--runs") { Description = "test runs per commit", DefaultValueFactory = _ => 10 };
        var runTimeout = new Option<double>("--run-timeout") { Description = "seconds one run may take", DefaultValueFactory = _ => 600 };
        var buildTimeout = new Option<double?>("--build-timeout") { Description = "seconds one build may take; a build that takes longer counts as broken (default: 10800 in kernel mode, 3600 otherwise)" };
        var json = new Option<string?>("--json") { Description = "write the result object to this file" };
        var strategy = new Option<string?>("--strategy") { Description = "flaky (Bayesian, the default) or classic (git bisect's choice of commits)" };
        var fix = new Option<bool>("--fix") { Description = "find the commit that fixed the crash" };
        var termOld = new Option<string?>("--term-old") { Description = "name of the old state (like git bisect)" };
        var termNew = new Option<string?>("--term-new") { Description = "name of the new state (like git bisect)" };
        var noVerify = new Option<bool>("--no-verify") { Description = "do not verify the culprit" };
        var store = StoreOption.Create();
        var kernel = new Option<bool>("--kernel") { Description = "kernel mode: build each commit and boot it in QEMU with --repro" };
        var config = new Option<string?>("--config") { Description = "kernel .config to build with (kernel mode)" };
        var repro = new Option<string?>("--repro") { Description = "reproducer: a C file, a static executable or a shell script (kernel mode)" };
        var compiler = new Option<string?>("--compiler") { Description = "gcc, clang or a compiler path (kernel mode)" };
        var compilers = new Option<string?>("--compilers") { Description = "file mapping kernel version ranges to compilers (kernel mode)" };
        var ccache = new Option<bool>("--ccache") { Description = "compile through ccache (kernel mode)" };
        var vms = new Option<int>("--vms") { Description = "VMs to run at once (kernel mode)", DefaultValueFactory = _ => 1 };
        var vmMemory = new Option<int>("--vm-memory") { Description = "memory per VM in MB (kernel mode)", DefaultValueFactory = _ => 512 };
        var bootTimeout = new Option<double>("--boot-timeout") { Description = "seconds a VM may take to boot (kernel mode)", DefaultValueFactory = _ => 120 };
        var accel = new Option<string?>("--accel") { Description = "auto (try KVM, else TCG), kvm or tcg: how the VMs run (kernel mode)" };
        var qemu = new Option<string?>("--qemu") { Description = "the QEMU program the VMs run with, a name on PATH or a path (kernel mode; default qemu-system-x86_64)" };
        var oldestRelease = new Option<string?>("--oldest-release") { Description = "do not test releases older than this tag (kernel mode)" };
        Option[] kernelOnly = [config, repro, compiler, compilers, ccache, vms, vmMemory, bootTimeout, accel, qemu, oldestRelease];
        var confidence = new Option<double>("--confidence") { Description = "flaky strategy: stop when one commit is the culprit with this probability", DefaultValueFactory = _ => 0.95 };
        var maxRuns = new Option<int?>("--max-runs") { Description = "flaky strategy: budget of test runs (default: 1200 for one worker, 600 more for each further worker)" };
        var maxBuilds = new Option<int?>("--max-builds") { Description = "flaky strategy: budget of builds" };
        var anyCrash = new Option<bool>("--any-crash") { Description = "count a crash of any title as the bug (syzbot's policy)" };
        var title = new Option<string?>("--title") { Description = "the bug's crash title (any title of its crash): other crashes count as other bugs" };
        var paths = new Option<string[]>("--paths")
        {
            Description = "test only commits that touch these paths (pathspecs, as git bisect start BAD GOOD -- PATHS)",
            AllowMultipleArgumentsPerToken = true,
        };
        var firstParent = new Option<bool>("--first-parent")
        {
            Description = "follow only the first parent of merges, as git bisect start --first-parent: the culprit is the merge that brought the crash in (or a commit on the bad commit's first-parent line)",
        };
        var buildInputs = new Option<string?>("--build-inputs")
        {
            Description = "shell command run after a build that prints the files the build read, one per line: commits touching none of them are not built (command mode)",
        };
        var noBuildAvoidance = new Option<bool>("--no-build-avoidance")
        {
            Description = "build every tested commit, even one that cannot change the build (syzbot's procedure; for comparison)",
        };
        var skipUntestable = new Option<bool>("--skip-untestable")
        {
            Description = "skip a commit whose every run is an infra error (test exit 125, VM not started), as git bisect run does, instead of stopping the job",
        };
        var seed = new Option<int>("--seed") { Description = "flaky strategy: seed for its sampling", DefaultValueFactory = _ => 0 };
        var workers = new Option<int?>("--workers")
        {
            Description = "commits tested at once, each in its own worktree (default: 1 for classic; for flaky what the processors and memory allow, at most 4 in command mode)",
        };

        var command = new Command(name, description)
        {
            repo, bad, good, build, test, runs, runTimeout, buildTimeout, json, strategy, fix, termOld, termNew, noVerify, store,
            kernel, config, repro, compiler, compilers, ccache, vms, vmMemory, bootTimeout, oldestRelease, accel, qemu,
            confidence, maxRuns, maxBuilds, anyCrash, seed, title, paths, firstParent, buildInputs,
            workers, noBuildAvoidance, skipUntestable,
        };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse, async () =>
        {
            var isFix = parse.GetValue(fix);
            var spec = new JobSpec
            {
                Repo = parse.GetValue(repo)!,
                Bad = parse.GetValue(bad)!,
                Good = parse.GetValue(good) is [var first, ..] ? first : null,
                MoreGood = parse.GetValue(good) is { Length: > 1 } goods ? goods[1..] : null,
                Build = parse.GetValue(build),
                Test = parse.GetValue(test),
                Paths = parse.GetValue(paths) is { Length: > 0 } pathspecs ? pathspecs : null,
                FirstParent = parse.GetValue(firstParent),
                BuildInputs = parse.GetValue(buildInputs),
                NoBuildAvoidance = parse.GetValue(noBuildAvoidance),
                SkipUntestable = parse.GetValue(skipUntestable),
                Runs = parse.GetValue(runs),
                RunTimeoutSeconds = parse.GetValue(runTimeout),
                BuildTimeoutSeconds = parse.GetValue(buildTimeout) ?? JobSpec.DefaultBuildTimeoutSeconds(parse.GetValue(kernel)),
                Strategy = parse.GetValue(strategy) ?? StrategyFactory.Default,
                Direction = isFix ? Direction.Fix : Direction.Cause,
                TermOld = parse.GetValue(termOld) ?? "good",
                TermNew = parse.GetValue(termNew) ?? "bad",
                Verify = !parse.GetValue(noVerify),
                Confidence = parse.GetValue(confidence),
                MaxRuns = parse.GetValue(maxRuns),
                MaxBuilds = parse.GetValue(maxBuilds),
                AnyCrash = parse.GetValue(anyCrash),
                Title = parse.GetValue(title),
                Seed = parse.GetValue(seed),
                Workers = parse.GetValue(workers),
                Kernel = !parse.GetValue(kernel) ? null : new KernelSpec
                {
                    Config = FullPathOf(parse.GetValue(config), "--config"),
                    Repro = FullPathOf(parse.GetValue(repro), "--repro"),
                    Compiler = parse.GetValue(compiler),
                    Compilers = parse.GetValue(compilers) is { } table ? FullPathOf(table, "--compilers") : null,
                    Ccache = parse.GetValue(ccache),
                    Vms = parse.GetValue(vms),
                    VmMemoryMb = parse.GetValue(vmMemory),
                    BootTimeoutSeconds = parse.GetValue(bootTimeout),
                    OldestRelease = parse.GetValue(oldestRelease),
                    Accel = AccelModeOf(parse.GetValue(accel)),
                    Qemu = parse.GetValue(qemu) is { } program && program.Contains('/') ? Path.GetFullPath(program) : parse.GetValue(qemu),
                },
            };
            if (spec.Kernel?.Compilers is { } compilersFile)
            {
                // Read now, so that a line that is not a rule is named before any job exists.
                Kernel.Build.CompilerTable.Load(compilersFile);
            }
            // A kernel option without --kernel would be ignored: say so rather than run a job the user did not ask for.
            if (spec.Kernel is null && kernelOnly.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
            {
                throw new JobException($"{given.Name} is for kernel mode (--kernel)");
            }
            // Checked again by CreateAsync; here so that a bad option does not even create the store.
            JobSpecValidator.Validate(spec);
            if (run is not null)
            {
                return await run(parse, spec, ct);
            }
            using var jobs = JobStore.Open(parse.GetValue(store)!);
            OutputFile.Check(parse.GetValue(json), jobs.FilePath, "--json");
            var output = parse.InvocationConfiguration.Output;
            using var listener = ConsoleJobListener.For(output);
            var runner = JobCommands.Runner(jobs, listener);
            var id = await runner.CreateAsync(spec, ct);
            return await JobCommands.RunToResultAsync(runner, id, parse.GetValue(json), parse, ct);
        }));
        if (run is not null)
        {
            command.Options.Remove(store);
            command.Options.Remove(json);
        }
        return command;
    }

    /// <summary>A file the job needs later, checked now and stored as an absolute path so resume finds it.</summary>
    private static string FullPathOf(string? path, string option)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new JobException($"{option} is required in kernel mode");
        }
        InputFile.Check(path, option);
        return Path.GetFullPath(path);
    }

    private static Machines.AccelMode AccelModeOf(string? value) => value switch
    {
        null or "auto" => Machines.AccelMode.Auto,
        "kvm" => Machines.AccelMode.Kvm,
        "tcg" => Machines.AccelMode.Tcg,
        _ => throw new JobException($"--accel must be auto, kvm or tcg (got {value})"),
    };
}

/// <summary>What bisect and resume share: building the runner and writing the result.</summary>
internal static class JobCommands
{
    /// <summary>
    /// The runner of a store's jobs on this machine. A job submitted to a service with this store (its
    /// kernel files kept in the store) is tested with this machine's copies of them, written as a
    /// service node writes its own (<see cref="JobInputs"/>, beside the work directories).
    /// </summary>
    public static JobRunner Runner(JobStore store, IJobListener listener, bool skipUntestable = false)
    {
        var workRoot = StoreOption.WorkRoot(store);
        var testers = Jobs.Testers.Testers.InWorkRoot(workRoot, Jobs.Testers.Testers.ImagesIn(workRoot), CrashParsing.Parse);
        return new(store, new JobInputs(JobInputs.BesideWorkRoot(workRoot)).Around(store, testers), listener, workRoot)
        {
            StopCause = () => StopSignals.Received,
            SkipUntestable = skipUntestable,
        };
    }

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
        return ExitStatus.Of(result);
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
