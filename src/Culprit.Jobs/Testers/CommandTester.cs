using Culprit.Core.Domain;
using Culprit.Core.Testing;
using Culprit.Git;
using Culprit.Processes;

namespace Culprit.Jobs.Testers;

/// <summary>
/// Tests commits of any git project with the user's build and test commands, run by
/// <c>/bin/sh -c</c> in the job's own worktree (the user's checkout is never touched).
/// Test exit 0 = OK, 125 = infra error, anything else = crashed.
/// </summary>
public sealed class CommandTester : ICommitTester
{
    public const int InfraExitCode = 125;

    private readonly GitRepository _repo;
    private readonly string _worktree;
    private readonly string _build;
    private readonly string _test;
    private readonly TimeSpan _runTimeout;
    private readonly TimeSpan _buildTimeout;
    private readonly Func<TextReader, RunOutcome?> _crashParser;
    private readonly string? _buildInputs;

    /// <summary>The commit the worktree was made at; other workers' worktrees start there too.</summary>
    private string _start = "HEAD";

    /// <summary>
    /// The worktree being made or checked (a resumed job keeps its own): awaited before its first use,
    /// as the job replays its stored steps (a range read, decisions) meanwhile.
    /// </summary>
    private Task _ready = Task.CompletedTask;

    private CommandTester(GitRepository repo, string worktree, string build, string test, TimeSpan runTimeout, TimeSpan buildTimeout, Func<TextReader, RunOutcome?> crashParser,
        string? buildInputs)
    {
        _buildInputs = buildInputs;
        _buildTimeout = buildTimeout;
        _repo = repo;
        _worktree = worktree;
        _build = build;
        _test = test;
        _runTimeout = runTimeout;
        _crashParser = crashParser;
    }

    public int ParallelRuns => 1;

    /// <summary>
    /// Starts making the worktree at <paramref name="worktree"/> (keeping a sound one from an earlier
    /// session, see <see cref="GitRepository.KeepOrAddWorktreeAsync"/>); its first use waits for it,
    /// and a failure to make it is that use's error.
    /// <paramref name="buildInputs"/>: <c>--build-inputs</c>, the command that prints the files a build read.
    /// </summary>
    public static Task<CommandTester> CreateAsync(
        GitRepository repo, string worktree, string start, string build, string test, TimeSpan runTimeout, TimeSpan buildTimeout,
        Func<TextReader, RunOutcome?> crashParser, CancellationToken ct, string? buildInputs = null) =>
        Task.FromResult(new CommandTester(repo, worktree, build, test, runTimeout, buildTimeout, crashParser, buildInputs)
        {
            _start = start,
            _ready = repo.KeepOrAddWorktreeAsync(worktree, start, ct),
        });

    public async Task<string?> PrepareAsync(string commit, CancellationToken ct)
    {
        await _ready;
        await GitRepository.CheckoutAsync(_worktree, commit, ct);
        return null;
    }

    public async Task<BuildResult> BuildAsync(string commit, CancellationToken ct)
    {
        await _ready;
        // The worktree's ignored files are the last build's outputs, kept for an incremental build,
        // unless that build never finished: then none of them is trusted.
        var unfinished = UnfinishedMark.ForBuildIn(_worktree);
        string? note = null;
        if (unfinished.Found)
        {
            await GitRepository.RemoveBuildOutputsAsync(_worktree, ct);
            note = BuildResult.AfterUnfinishedBuild;
        }
        unfinished.Set();
        var result = await ProcessRunner.RunAsync(ProcessSpec.Shell(_build) with { WorkingDirectory = _worktree, Timeout = _buildTimeout }, ct);
        if (!result.TimedOut)
        {
            unfinished.Clear();
        }
        // A build that hangs is a build that fails, as syzbot counts it: the commit is skipped.
        var error = result.Succeeded ? null
            : result.TimedOut ? $"build timed out after {GoDuration.Format(_buildTimeout)}\n{result.Tail(10)}".Trim()
            : $"exit status {result.ExitCode}\n{result.Tail(10)}".Trim();
        var inputs = result.Succeeded && _buildInputs is not null ? await InputsAsync(ct) : null;
        return new BuildResult(commit, result.Succeeded, error, null, null, result.Elapsed.TotalSeconds, _worktree, inputs) { Note = note };
    }

    /// <summary>
    /// The files the build read, as <c>--build-inputs</c> prints them (one per line, relative to the
    /// worktree or absolute in it; files outside it, such as system headers, are not the project's).
    /// A command that fails says nothing: without inputs the next commits are built (when in doubt, build);
    /// so does a list longer than the capture keeps (its cut head would hide inputs), and output that is not
    /// a list of paths (a NUL byte, which no path holds: binary output).
    /// </summary>
    private async Task<IReadOnlyList<string>?> InputsAsync(CancellationToken ct)
    {
        var result = await ProcessRunner.RunAsync(ProcessSpec.Shell(_buildInputs!) with { WorkingDirectory = _worktree, Timeout = _buildTimeout }, ct);
        if (!result.Succeeded || result.StandardOutputTruncated || result.StandardOutput.Contains('\0'))
        {
            return null;
        }
        var root = Path.GetFullPath(_worktree).TrimEnd('/') + "/";
        var files = new List<string>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var full = Path.GetFullPath(line, root);
            if (full.StartsWith(root, StringComparison.Ordinal))
            {
                files.Add(full[root.Length..]);
            }
        }
        return files;
    }

    public async Task<RunOutcome> RunAsync(BuildResult build, int runIndex, CancellationToken ct)
    {
        // The output is read as it arrives, not captured: a crash report followed by more output than
        // a capture keeps would otherwise be lost and the run misjudged.
        await _ready;
        using var output = new RunOutputReader(_crashParser);
        var spec = ProcessSpec.Shell(_test) with
        {
            WorkingDirectory = _worktree,
            Timeout = _runTimeout,
            Environment = new Dictionary<string, string?> { ["CULPRIT_RUN"] = runIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            OnLine = output.Add,
            MaxCapturedChars = 0,
        };
        var result = await ProcessRunner.RunAsync(spec, ct);
        var seconds = result.Elapsed.TotalSeconds;
        if (result.TimedOut)
        {
            return RunOutcome.Timeout($"no result after {GoDuration.Format(_runTimeout)}", seconds);
        }
        return Classify(result.ExitCode, await output.FinishAsync(), seconds);
    }

    /// <summary>
    /// The outcome of one test run, the one place these rules are decided: a <c>TITLE: </c> line names
    /// the crash; otherwise a kernel crash report in the output counts as a crash whatever the exit
    /// status; otherwise the exit status decides, and a failed run is titled by its user-space crash
    /// report when it has one (else <c>exit status N</c>).
    /// </summary>
    internal static RunOutcome Classify(int exitCode, RunOutput output, double seconds)
    {
        if (exitCode == 0 && output.Title is null && output.KernelCrash is { } kernelCrash)
        {
            return kernelCrash with { Seconds = seconds };
        }
        if (exitCode == 0)
        {
            return RunOutcome.Ok(seconds);
        }
        if (exitCode == InfraExitCode)
        {
            var reason = output.LastLine?.Trim();
            return RunOutcome.Infra(string.IsNullOrEmpty(reason) ? "infra error: exit status 125" : $"infra error: {reason}", seconds);
        }
        if (output.Title is not null)
        {
            return RunOutcome.Crash(output.Title, output.Kept(null), seconds: seconds);
        }
        // A failed run is named by a kernel report, else by a user-space report (sanitizer, fuzzer,
        // abort, panic), else by its exit status. User-space reports count only when the test failed.
        if (output.KernelCrash is { } parsed)
        {
            return parsed with { Seconds = seconds };
        }
        return output.UserSpace is { } report
            ? UserSpaceCrashes.Outcome(report, output.Kept(report.Report), seconds)
            : RunOutcome.Crash(ExitStatusTitle(exitCode), output.Kept(null), seconds: seconds);
    }

    /// <summary>The title of a failed run that no crash report names.</summary>
    public static string ExitStatusTitle(int exitCode) => $"exit status {exitCode}";

    /// <summary>Worker N's worktree sits beside this one (<c>worktree-N</c>), checked out at the same commit.</summary>
    public async Task<ICommitTester> ForWorkerAsync(int worker, CancellationToken ct)
    {
        var worktree = $"{_worktree}-{worker}";
        // After this worktree: git worktree commands of one repository go one at a time anyway.
        await _ready;
        return await CreateAsync(_repo, worktree, _start, _build, _test, _runTimeout, _buildTimeout, _crashParser, ct, _buildInputs);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _ready;
        }
        catch (Exception)
        {
            // Not made (the error went to whoever used it first, or the job did not need it): removed all the same.
        }
        await _repo.RemoveWorktreeAsync(_worktree, CancellationToken.None);
    }
}
