using Culprit.Core.Domain;
using Culprit.Core.Testing;
using Culprit.Store;
using Culprit.TestSupport;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>
/// A whole job flow against one fake at the tester seam (like syzkaller's bisect_test.go): a real
/// linear git repository of numbered commits, and a tester whose builds and runs a test scripts by
/// commit number. Everything above the seam (job runner, strategies, store, verification, reports)
/// is the real code.
/// </summary>
internal sealed class ScriptedWorld : IDisposable
{
    private readonly TempDir _temp;

    private ScriptedWorld(TempDir temp, string[] hashes)
    {
        _temp = temp;
        Hashes = hashes;
    }

    /// <summary>Commit hashes, oldest (number 0) first.</summary>
    public string[] Hashes { get; }

    public string RepoPath => _temp.Sub("repo");

    public string StorePath => _temp.Sub("jobs.db");

    /// <summary>The signature a commit's build gets (default: one per commit).</summary>
    public Func<int, string?> Signature { get; init; } = n => $"sig-{n}";

    /// <summary>Whether a commit builds.</summary>
    public Func<int, bool> Builds { get; init; } = _ => true;

    /// <summary>The outcome of run <c>i</c> on commit <c>n</c> (commits outside the numbered ones, e.g. reverts, get -1).</summary>
    public required Func<int, int, RunOutcome> Run { get; init; }

    /// <summary>The files a commit's build read (null: the tester does not say, no build avoidance).</summary>
    public Func<int, IReadOnlyList<string>?> Inputs { get; set; } = _ => null;

    /// <summary>Whether the tester keeps every build usable (as kernel images are), not only its last one.</summary>
    public bool KeepsBuilds { get; set; }

    /// <summary>
    /// Whether the machine keeps every build for every job and worker on it (a kernel node's kept images):
    /// a commit any tester built is found kept (<see cref="ICommitTester.KeptBuildAsync"/>), not built again.
    /// </summary>
    public bool MachineKeepsBuilds { get; set; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, BuildResult> _machineBuilds = new(StringComparer.Ordinal);

    /// <summary>Every build the tester was asked for, by commit number, in order.</summary>
    public List<int> BuildsDone { get; } = [];

    /// <summary>How long each build takes (none by default): builds of several workers then overlap in time or not.</summary>
    public TimeSpan BuildTime { get; set; }

    /// <summary>Whether the workers' testers build on one machine (<see cref="ICommitTester.BuildsShareMachine"/>).</summary>
    public bool BuildsShareMachine { get; set; } = true;

    /// <summary>Each build's start and end, by commit number, in the order they happened.</summary>
    public List<(int Commit, bool Start)> BuildEvents { get; } = [];

    /// <summary>Every run made, by commit number.</summary>
    public List<int> RunsDone { get; } = [];

    /// <summary>The size of the range each tester was told, one entry per tester told.</summary>
    public List<int> RangesListed { get; } = [];

    /// <summary>A linear repository of <paramref name="count"/> numbered commits (<see cref="Flow.LinearRepository"/>); <paramref name="tags"/> tags commits by number.</summary>
    /// <param name="fileOf">The file commit n changes (default: one file for all).</param>
    public static async Task<ScriptedWorld> CreateAsync(int count, Func<int, int, RunOutcome> run, IReadOnlyDictionary<int, string>? tags = null,
        Func<int, string?>? signature = null, Func<int, bool>? builds = null, Func<int, string>? fileOf = null)
    {
        var temp = new TempDir("culprit-flow");
        var repo = await Flow.LinearRepository.CreateAsync(temp.Sub("repo"), count, tags, fileOf);
        return new ScriptedWorld(temp, repo.Hashes) { Run = run, Signature = signature ?? (n => $"sig-{n}"), Builds = builds ?? (_ => true) };
    }

    /// <summary>Runs a job to its result; returns it with the log lines.</summary>
    public async Task<(JobResult Result, IReadOnlyList<string> Log)> BisectAsync(JobSpec spec) => await RunAsync(await CreateAsync(spec));

    /// <summary>Creates a job in the world's store without running it.</summary>
    public async Task<string> CreateAsync(JobSpec spec)
    {
        using var store = JobStore.Open(StorePath);
        var runner = new JobRunner(store, (_, _, _, _) => Task.FromResult<ICommitTester>(new Tester(this)), new TextJobListener(TextWriter.Null), _temp.Sub("work"));
        // The scripted tester builds and runs nothing: the commands only satisfy the job inputs check.
        // One worker unless the test asks for more: the machine's default would make the flow depend on it.
        return await runner.CreateAsync(spec with { Repo = RepoPath, Build = spec.Build ?? "true", Test = spec.Test ?? "true", Workers = spec.Workers ?? 1 });
    }

    /// <summary>Runs (or resumes) a stored job to its result; returns it with the log lines this pass printed.</summary>
    public async Task<(JobResult Result, IReadOnlyList<string> Log)> RunAsync(string id)
    {
        using var store = JobStore.Open(StorePath);
        var log = new StringWriter();
        var runner = new JobRunner(store, (_, _, _, _) => Task.FromResult<ICommitTester>(new Tester(this)), new TextJobListener(log), _temp.Sub("work"));
        var result = await runner.RunAsync(id);
        return (result, log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    public int NumberOf(string hash) => Array.IndexOf(Hashes, hash);

    /// <summary>Where a tester that keeps builds keeps a commit's (a file, as a kernel image is); a test may delete it.</summary>
    public string KeptBuildOf(string commit) => Path.Combine(_temp.Sub("kept"), commit);

    private string Keep(string commit)
    {
        var path = KeptBuildOf(commit);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, commit);
        return path;
    }

    public void Dispose() => _temp.Dispose();

    private sealed class Tester(ScriptedWorld world) : ICommitTester
    {
        public int ParallelRuns => 1;

        public bool KeepsBuilds => world.KeepsBuilds;

        public Task<string?> PrepareAsync(string commit, CancellationToken ct) => Task.FromResult<string?>(null);

        public Task<BuildResult?> KeptBuildAsync(string commit, CancellationToken ct) =>
            Task.FromResult(world.MachineKeepsBuilds && world._machineBuilds.TryGetValue(commit, out var kept) ? kept with { Seconds = 0, Kept = true } : null);

        public bool BuildsShareMachine => world.BuildsShareMachine;

        public async Task<BuildResult> BuildAsync(string commit, CancellationToken ct)
        {
            var n = world.NumberOf(commit);
            lock (world.BuildsDone)
            {
                world.BuildsDone.Add(n);
                world.BuildEvents.Add((n, true));
            }
            if (world.BuildTime > TimeSpan.Zero)
            {
                await Task.Delay(world.BuildTime, ct);
            }
            lock (world.BuildsDone)
            {
                world.BuildEvents.Add((n, false));
            }
            var ok = n < 0 || world.Builds(n);
            // A commit Culprit made (a revert) is a kernel of its own.
            var signature = n < 0 ? $"sig-made-{commit[..12]}" : world.Signature(n);
            var build = new BuildResult(commit, ok, ok ? null : "error: does not build", null, ok ? signature : null, 1,
                ok && world.KeepsBuilds ? world.Keep(commit) : null, ok && n >= 0 ? world.Inputs(n) : null);
            if (ok && world.MachineKeepsBuilds)
            {
                world._machineBuilds[commit] = build;
            }
            return build;
        }

        public Task<RunOutcome> RunAsync(BuildResult build, int runIndex, CancellationToken ct)
        {
            var n = world.NumberOf(build.Commit);
            lock (world.RunsDone)
            {
                world.RunsDone.Add(n);
            }
            return Task.FromResult(world.Run(n, runIndex));
        }

        /// <summary>Workers share the script; each has its own tester as a real job's worker has its own worktree.</summary>
        public Task<ICommitTester> ForWorkerAsync(int worker, CancellationToken ct) => Task.FromResult<ICommitTester>(new Tester(world));

        public void RangeListed(CommitGraph range)
        {
            lock (world.RangesListed)
            {
                world.RangesListed.Add(range.Count);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
