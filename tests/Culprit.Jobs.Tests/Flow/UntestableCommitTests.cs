using Culprit.Core.Domain;
using Culprit.Store;

namespace Culprit.Jobs.Tests.Flow;

/// <summary>
/// A commit where every run is an infra error of the test machine stops the job, resumable, instead
/// of reading "no crash" into it; boot failures the kernel caused stay what they were. Whole job
/// flows on a real git repository, through one scripted tester.
/// </summary>
public sealed class UntestableCommitTests : IDisposable
{
    private const string MsrReason = "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69";
    private static readonly RunOutcome MachineFailure = RunOutcome.Infra($"boot failed: {MsrReason}", 0.1);
    private static readonly RunOutcome BootPanic = RunOutcome.Infra("boot failed: kernel panic: VFS: Unable to mount root fs", 1) with { CommitFault = true };
    private static readonly RunOutcome Bug = RunOutcome.Crash("WARNING in sethostname", "WARNING: CPU: 0 PID: 1 at kernel/sys.c:1380", seconds: 1);

    private readonly TempDir _temp = new("culprit-untestable");
    private readonly StringWriter _output = new();
    private readonly JobStore _store;

    public UntestableCommitTests()
    {
        _store = JobStore.Open(_temp.Sub("s.db"));
    }

    public void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
    }

    private async Task<(LinearRepository Repo, ScriptedTester Tester, JobRunner Runner)> SetUpAsync(int commits = 16, IReadOnlyDictionary<int, string>? tags = null, string? setupNote = null)
    {
        var repo = await LinearRepository.CreateAsync(_temp.Sub("repo"), commits, tags);
        var tester = new ScriptedTester(repo) { SetupNote = setupNote };
        var runner = new JobRunner(_store, (_, _, _, _) => Task.FromResult<Core.Testing.ICommitTester>(tester), new TextJobListener(_output), _temp.Sub("work"));
        return (repo, tester, runner);
    }

    private static JobSpec Spec(LinearRepository repo, string strategy = "classic", bool withGood = true) => new()
    {
        Repo = repo.Path,
        Bad = repo.Hashes[^1],
        Good = withGood ? repo.Hashes[0] : null,
        Runs = 2,
        Strategy = strategy,
        Verify = false,
        // One commit at a time (the machine's default workers would make the flow depend on it).
        Workers = 1,
        // The scripted tester builds and runs nothing: the commands only satisfy the job inputs check.
        Build = "true",
        Test = "true",
    };

    private List<string> Log(string id) => _store.Log(id).Select(l => l.Text).ToList();

    [Fact]
    public async Task A_bad_commit_whose_every_run_fails_to_boot_stops_the_job_and_a_resume_after_the_mend_finds_the_culprit()
    {
        var (repo, tester, runner) = await SetUpAsync();
        tester.Run = _ => MachineFailure;
        var id = await runner.CreateAsync(Spec(repo));

        var stop = await Assert.ThrowsAsync<UntestableCommitException>(() => runner.RunAsync(id));

        var expected = $"could not test {repo.Hashes[^1]}: every run failed to boot ({MsrReason})";
        Assert.Equal(expected, stop.Message);
        Assert.True(Jobs.UserErrors.Is(stop));
        var record = _store.GetJob(id);
        Assert.Equal("stopped", record.State);
        Assert.Null(record.ResultJson);
        Assert.Empty(_store.Outcomes(id));
        Assert.Equal(expected, Log(id)[^1]);
        Assert.Contains($"all runs: boot failed: {MsrReason}", Log(id));
        Assert.DoesNotContain(Log(id), l => l.Contains("does not reproduce", StringComparison.Ordinal));

        tester.Run = i => i >= 9 ? Bug : RunOutcome.Ok(1);
        var result = await runner.RunAsync(id);

        Assert.Equal("found", result.Result);
        Assert.Equal(repo.Hashes[9], result.Culprit!.Commit);
        Assert.Equal("finished", _store.GetJob(id).State);
        Assert.DoesNotContain(Log(id), l => l.StartsWith("could not test", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task A_commit_inside_the_range_whose_every_run_fails_to_boot_stops_the_job_where_it_is(string strategy)
    {
        var (repo, tester, runner) = await SetUpAsync();
        // The machine breaks after the bad commit was tested.
        tester.Run = i => i == 15 ? Bug : MachineFailure;
        var id = await runner.CreateAsync(Spec(repo, strategy));

        var stop = await Assert.ThrowsAsync<UntestableCommitException>(() => runner.RunAsync(id));

        var untested = repo.Hashes.Skip(1).SkipLast(1).Single(h => stop.Message.StartsWith($"could not test {h}: every run failed to boot (", StringComparison.Ordinal));
        Assert.Equal("stopped", _store.GetJob(id).State);
        Assert.Single(_store.Outcomes(id)); // the bad commit's, kept for the resume
        Assert.DoesNotContain(Log(id), l => l.StartsWith("# git bisect skip", StringComparison.Ordinal));
        Assert.DoesNotContain(Log(id), l => l.StartsWith("# git bisect good", StringComparison.Ordinal));
        Assert.Equal(stop.Message, Log(id)[^1]);
        var badRuns = tester.RunsPerCommit[15];

        tester.Run = i => i >= 9 ? Bug : RunOutcome.Ok(1);
        var result = await runner.RunAsync(id);

        Assert.Equal("found", result.Result);
        Assert.Equal(repo.Hashes[9], result.Culprit!.Commit);
        Assert.Equal(badRuns, tester.RunsPerCommit[15]); // its stored outcome was replayed, not retested
        Assert.Contains(Log(id), l => l.StartsWith("testing commit " + untested, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_release_whose_every_run_fails_to_boot_stops_the_release_walk()
    {
        var (repo, tester, runner) = await SetUpAsync(tags: new Dictionary<int, string> { [2] = "v1.0", [6] = "v2.0" });
        tester.Run = i => i == 15 ? Bug : MachineFailure;
        var id = await runner.CreateAsync(Spec(repo, withGood: false));

        var stop = await Assert.ThrowsAsync<UntestableCommitException>(() => runner.RunAsync(id));

        Assert.Equal($"could not test {repo.Hashes[6]}: every run failed to boot ({MsrReason})", stop.Message);
        Assert.Contains("testing release v2.0", Log(id));
        Assert.DoesNotContain("testing release v1.0", Log(id));
        Assert.Equal("stopped", _store.GetJob(id).State);
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task Boot_failures_the_kernel_caused_are_skipped_inside_the_range_as_before(string strategy)
    {
        var (repo, tester, runner) = await SetUpAsync();
        tester.Run = i => i >= 12 ? Bug : i is >= 6 and <= 8 ? BootPanic : RunOutcome.Ok(1);
        var id = await runner.CreateAsync(Spec(repo, strategy));

        var result = await runner.RunAsync(id);

        Assert.Equal("found", result.Result);
        Assert.Equal(repo.Hashes[12], result.Culprit!.Commit);
        Assert.Equal("finished", _store.GetJob(id).State);
        Assert.Contains(Log(id), l => l.StartsWith("# git bisect skip ", StringComparison.Ordinal));
        Assert.Contains("all runs: boot failed: kernel panic: VFS: Unable to mount root fs", Log(id));
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task A_release_whose_kernel_panics_on_every_boot_is_passed_over_for_an_older_one(string strategy)
    {
        var (repo, tester, runner) = await SetUpAsync(tags: new Dictionary<int, string> { [2] = "v1.0", [6] = "v2.0" });
        tester.Run = i => i >= 12 ? Bug : i == 6 ? BootPanic : RunOutcome.Ok(1);
        var id = await runner.CreateAsync(Spec(repo, strategy, withGood: false));

        var result = await runner.RunAsync(id);

        Assert.Equal("found", result.Result);
        Assert.Equal(repo.Hashes[12], result.Culprit!.Commit);
        Assert.Contains("testing release v1.0", Log(id));
        // Tested once, not retried: more runs of a kernel that never boots would show nothing more.
        Assert.Equal(2, tester.RunsPerCommit[6]);
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task With_skip_untestable_a_commit_no_run_could_test_is_skipped_as_git_skips_on_125(string strategy)
    {
        var (repo, tester, runner) = await SetUpAsync();
        tester.Run = i => i >= 12 ? Bug : i is >= 6 and <= 9 ? MachineFailure : RunOutcome.Ok(1);
        var id = await runner.CreateAsync(Spec(repo, strategy) with { SkipUntestable = true });

        var result = await runner.RunAsync(id);

        Assert.Equal("found", result.Result);
        Assert.Equal(repo.Hashes[12], result.Culprit!.Commit);
        Assert.Equal("finished", _store.GetJob(id).State);
        var skipped = Log(id).Where(l => l.EndsWith($"every run failed to boot ({MsrReason}): skipped (--skip-untestable)", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(skipped);
        Assert.All(skipped, l => Assert.Contains(repo.Hashes.Skip(6).Take(4), h => l.StartsWith($"could not test {h}: ", StringComparison.Ordinal)));
        // Each such commit is tested once: more runs would show nothing more.
        Assert.All(repo.Hashes.Skip(6).Take(4), h => Assert.True(Log(id).Count(l => l == "testing commit " + h) <= 1, h));
    }

    [Fact]
    public async Task A_resume_with_skip_untestable_skips_the_commit_the_job_stopped_at()
    {
        var (repo, tester, runner) = await SetUpAsync();
        // The classic strategy's first pick, git's, is commit 8 of 0..15; 5..9 cannot be tested, whatever the machine.
        tester.Run = i => i >= 12 ? Bug : i is >= 5 and <= 9 ? MachineFailure : RunOutcome.Ok(1);
        var id = await runner.CreateAsync(Spec(repo));
        var stop = await Assert.ThrowsAsync<UntestableCommitException>(() => runner.RunAsync(id));
        Assert.Equal("stopped", _store.GetJob(id).State);
        // A plain resume meets the same commit and stops again.
        await Assert.ThrowsAsync<UntestableCommitException>(() => runner.RunAsync(id));

        var skipping = new JobRunner(_store, (_, _, _, _) => Task.FromResult<Core.Testing.ICommitTester>(tester), new TextJobListener(_output), _temp.Sub("work"))
        {
            SkipUntestable = true,
        };
        var result = await skipping.RunAsync(id);

        Assert.Equal("found", result.Result);
        Assert.Equal(repo.Hashes[12], result.Culprit!.Commit);
        Assert.Contains($"{stop.Message}: skipped (--skip-untestable)", Log(id));
        // The skip is stored: a later pass replays it without the option.
        var again = await runner.RunAsync(id);
        Assert.Equal(repo.Hashes[12], again.Culprit!.Commit);
    }

    [Fact]
    public async Task A_bad_commit_whose_kernel_panics_on_every_boot_does_not_reproduce_as_before()
    {
        var (repo, tester, runner) = await SetUpAsync(commits: 4);
        tester.Run = _ => BootPanic;
        var id = await runner.CreateAsync(Spec(repo));

        var result = await runner.RunAsync(id);

        Assert.Equal("not-reproduced", result.Result);
        Assert.Equal("finished", _store.GetJob(id).State);
    }

    [Fact]
    public async Task Infra_errors_that_are_not_boots_are_named_as_such()
    {
        var (repo, tester, runner) = await SetUpAsync(commits: 4);
        tester.Run = _ => RunOutcome.Infra("infra error: vm lost");
        var id = await runner.CreateAsync(Spec(repo));

        var stop = await Assert.ThrowsAsync<UntestableCommitException>(() => runner.RunAsync(id));

        Assert.Equal($"could not test {repo.Hashes[^1]}: every run was an infra error (vm lost)", stop.Message);
    }

    [Fact]
    public async Task The_testers_setup_note_is_logged_before_the_first_test_of_each_pass()
    {
        const string note = "VMs: KVM unusable here (failed to set MSR 0x10a), using TCG";
        var (repo, tester, runner) = await SetUpAsync(setupNote: note);
        tester.Run = i => i == 15 ? Bug : MachineFailure;
        var id = await runner.CreateAsync(Spec(repo));

        await Assert.ThrowsAsync<UntestableCommitException>(() => runner.RunAsync(id));
        var first = Log(id);
        tester.Run = i => i >= 9 ? Bug : RunOutcome.Ok(1);
        await runner.RunAsync(id);
        var resumed = Log(id);

        Assert.Single(first, note);
        Assert.Equal($"testing commit {repo.Hashes[^1]}", first[first.IndexOf(note) + 1]);
        // The resume ran on a machine of its own: its choice is logged where its tests start.
        Assert.Equal(2, resumed.Count(l => l == note));
        var second = resumed.LastIndexOf(note);
        Assert.StartsWith("testing commit ", resumed[second + 1]);
        Assert.True(second > resumed.IndexOf($"testing commit {repo.Hashes[^1]}"));
    }

    [Fact]
    public async Task A_setup_note_is_logged_once_for_all_workers_and_again_where_the_runs_change_it()
    {
        const string probed = "VMs: using KVM with -cpu host";
        const string fellBack = "VMs: KVM passed the probe but booted no kernel here (no console output within 20 s), using TCG";
        var (repo, tester, runner) = await SetUpAsync(setupNote: probed);
        // As a VM pool does when KVM's first boot says nothing: the note changes during the first runs.
        tester.Run = i =>
        {
            tester.SetupNote = fellBack;
            return i >= 9 ? Bug : RunOutcome.Ok(1);
        };
        var id = await runner.CreateAsync(Spec(repo, strategy: "flaky") with { Workers = 2 });

        await runner.RunAsync(id);
        var log = Log(id);

        Assert.Single(log, probed);
        Assert.Single(log, fellBack);
        Assert.Equal($"testing commit {repo.Hashes[^1]}", log[log.IndexOf(probed) + 1]);
        // Said where it happened: after the first test's build, before its run lines.
        Assert.Equal(log.IndexOf($"testing commit {repo.Hashes[^1]}") + 1, log.IndexOf(fellBack));
    }
}
