using System.Text.RegularExpressions;
using Culprit.Core.Domain;
using Culprit.Core.Testing;
using Culprit.Crash;
using Culprit.Git;
using Culprit.Jobs.Testers;
using Culprit.Processes;

namespace Culprit.Jobs.Tests;

/// <summary>
/// The real <see cref="CommandTester"/> reads every line of a run's output as it arrives: a crash
/// report is found wherever it is, however much output follows it, and what is stored stays capped.
/// </summary>
public sealed class CommandTesterOutputTests
{
    // 190,000 lines of 56 characters (10.1 MiB) after the report: more than a process capture keeps (8 Mi characters).
    private const string Filler = "yes 'filler line that a chatty test prints after its report' 2>/dev/null | head -n 190000";

    private const string AsanReport = """
        =================================================================
        ==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc 0x0000004f3a2b bp 0x7ffd5a0 sp 0x7ffd598
        READ of size 1 at 0x602000000010 thread T0
            #0 0x4f3a2a in use_name /src/prog.c:30:12
            #1 0x4f3b10 in main /src/prog.c:40:5
            #2 0x7f0e2b in __libc_start_main

        0x602000000010 is located 0 bytes inside of 16-byte region [0x602000000010,0x602000000020)
        freed by thread T0 here:
            #0 0x4b2c1d in free
            #1 0x4f3a00 in drop_name /src/prog.c:25:5

        SUMMARY: AddressSanitizer: heap-use-after-free /src/prog.c:30:12 in use_name
        ==4242==ABORTING
        """;

    private const string KernelReport = """
        [   12.345678] ==================================================================
        [   12.345679] BUG: KASAN: use-after-free in target_function+0x12/0x40
        [   12.345680] Read of size 8 at addr ffff888012345678 by task repro/1234
        [   12.345681] CPU: 0 PID: 1234 Comm: repro Not tainted 6.1.0 #1
        [   12.345682] Call Trace:
        [   12.345683]  <TASK>
        [   12.345684]  dump_stack_lvl+0x48/0x70
        [   12.345685]  print_report+0xc3/0x5f0
        [   12.345686]  kasan_report+0xb0/0xe0
        [   12.345687]  target_function+0x12/0x40
        [   12.345688]  do_syscall_64+0x3a/0x90
        [   12.345689]  </TASK>
        [   12.345690] ==================================================================
        """;

    [Fact]
    public async Task A_sanitizer_report_followed_by_ten_MiB_of_output_titles_the_failed_run()
    {
        var run = await RunAsync($"cat report; {Filler}; exit 1", AsanReport);

        Assert.Equal(RunResult.Crashed, run.Result);
        Assert.Equal("heap-use-after-free in use_name", run.Title);
        AssertCapped(run.Detail!);
        Assert.Contains("==4242==ERROR: AddressSanitizer: heap-use-after-free", run.Detail);
        Assert.EndsWith("filler line that a chatty test prints after its report\n", run.Detail);
    }

    [Fact]
    public async Task A_TITLE_line_followed_by_ten_MiB_of_output_names_the_run_and_is_kept_with_head_and_tail()
    {
        var run = await RunAsync($"echo first line; seq 1 40000; echo 'TITLE: KASAN: bug in thing'; echo report line; {Filler}; echo last line; exit 1");

        Assert.Equal("KASAN: bug in thing", run.Title);
        AssertCapped(run.Detail!);
        Assert.StartsWith("first line\n1\n2\n", run.Detail);
        Assert.Contains("\nTITLE: KASAN: bug in thing\nreport line\nfiller line", run.Detail);
        Assert.EndsWith("last line\n", run.Detail);
        Assert.Equal(2, Regex.Matches(run.Detail!, @"\n\.\.\. \[(\d+) bytes cut\] \.\.\.\n").Count);
    }

    [Fact]
    public async Task A_kernel_report_followed_by_ten_MiB_of_output_is_a_crash_even_when_the_test_exits_0()
    {
        var run = await RunAsync($"cat report; {Filler}", KernelReport);

        Assert.Equal(RunResult.Crashed, run.Result);
        Assert.Equal("KASAN: use-after-free Read in target_function", run.Title);
    }

    [Fact]
    public async Task The_cut_notes_add_up_to_the_output_left_out()
    {
        // Every byte of the output is either kept or counted in a note (the capped form of the
        // exit-status run: head and tail).
        var run = await RunAsync("echo first; seq 1 300000; echo last; exit 3");

        Assert.Equal("exit status 3", run.Title);
        var output = "first\n" + string.Concat(Enumerable.Range(1, 300000).Select(i => $"{i}\n")) + "last\n";
        var cuts = Regex.Matches(run.Detail!, @"\n\.\.\. \[(\d+) bytes cut\] \.\.\.\n");
        Assert.Single(cuts);
        var kept = run.Detail!.Length - cuts.Sum(c => c.Length);
        Assert.Equal(output.Length, kept + cuts.Sum(c => int.Parse(c.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.StartsWith("first\n1\n", run.Detail);
        Assert.EndsWith("300000\nlast\n", run.Detail);
    }

    [Fact]
    public async Task Short_output_is_kept_whole_and_the_precedence_rules_hold()
    {
        Assert.Equal("first\nsecond\n", (await RunAsync("echo first; echo second; exit 2")).Detail);
        Assert.Equal(RunResult.Ok, (await RunAsync("echo 'TITLE: ignored when the test passes'")).Result);
        Assert.Equal("infra error: no machine", (await RunAsync("echo working; echo 'no machine'; echo; exit 125")).Detail);
        // A TITLE line wins over a kernel report, which wins over a user-space report.
        Assert.Equal("named", (await RunAsync("cat report; echo 'TITLE: named'; exit 1", KernelReport)).Title);
        Assert.Equal("KASAN: use-after-free Read in target_function", (await RunAsync("cat report; exit 1", AsanReport + "\n" + KernelReport)).Title);
        // A user-space report names only a failed run.
        Assert.Equal(RunResult.Ok, (await RunAsync("cat report", AsanReport)).Result);
    }

    /// <summary>Build-inputs output that cannot be trusted as the list of what the build read: no list, so the next commits are built.</summary>
    [Theory]
    // 1.5 M names, 12 M characters: the capture keeps the tail only, whose cut head would hide inputs.
    [InlineData("seq 1000001 2500000")]
    // A NUL byte, as binary output has (it threw from the path check: an internal error ended the job).
    [InlineData("printf 'src/a.c\\n\\000junk\\n'")]
    public async Task Build_inputs_output_that_is_not_a_whole_list_of_paths_is_no_list(string buildInputs)
    {
        using var temp = new TempDir("culprit-cmdout");
        var repo = await RepositoryAsync(temp, "");
        await using var tester = await CommandTester.CreateAsync(repo, temp.Sub("worktree"), "HEAD", "true", "true",
            TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), KernelCrash, CancellationToken.None, buildInputs);

        var build = await tester.BuildAsync("HEAD", CancellationToken.None);

        Assert.True(build.Ok);
        Assert.Null(build.Inputs);
    }

    // The budget and the cut notes, as RunOutputCap keeps a captured output.
    private static void AssertCapped(string detail) =>
        Assert.True(detail.Length <= RunOutputCap.Budget + 200, $"kept {detail.Length} characters");

    /// <summary>One run of <paramref name="test"/> through a real CommandTester, with <paramref name="report"/> in the file <c>report</c> beside it.</summary>
    private static async Task<RunOutcome> RunAsync(string test, string report = "")
    {
        using var temp = new TempDir("culprit-cmdout");
        var repo = await RepositoryAsync(temp, report);
        await using var tester = await CommandTester.CreateAsync(repo, temp.Sub("worktree"), "HEAD", "true", test,
            TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), KernelCrash, CancellationToken.None);
        var build = await tester.BuildAsync("HEAD", CancellationToken.None);
        return await tester.RunAsync(build, 0, CancellationToken.None);
    }

    private static async Task<GitRepository> RepositoryAsync(TempDir temp, string report)
    {
        var dir = temp.Sub("repo");
        Directory.CreateDirectory(dir);
        await Git(dir, "init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(dir, "report"), report + "\n");
        await Git(dir, "add", "-A");
        await Git(dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
        return await GitRepository.OpenAsync(dir);
    }

    private static RunOutcome? KernelCrash(TextReader output) =>
        LinuxCrashParser.Parse(output) is { Suppressed: false } crash ? RunOutcome.Crash(crash.Title, crash.Report, crash.AltTitles) : null;

    private static Task<ProcessResult> Git(string dir, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", dir, .. args]));
}
