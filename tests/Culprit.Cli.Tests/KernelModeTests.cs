using System.Text.Json;
using System.Text.RegularExpressions;
using Culprit.Jobs.Testers;
using Culprit.Processes;
using Xunit.Abstractions;

namespace Culprit.Cli.Tests;

/// <summary>
/// Kernel mode end to end on a real kernel: Debian's linux-source-6.1 imported as v6.1 with a
/// generated history on top (docs-only commits, a build break and its fix, one real bug reachable
/// through sethostname), bisected with real builds and real QEMU boots (the flaky bisection from a
/// bare mirror of the tree).
/// </summary>
public sealed class KernelModeTests(ITestOutputHelper output)
{
    /// <summary>Makes (or reuses) the test tree and returns its facts (expected culprit, broken build, docs-only commits).</summary>
    internal static async Task<IReadOnlyDictionary<string, string>> TestTreeAsync() => (await TestKernelTree.GetAsync()).Facts;

    [KernelFact]
    public async Task Kernel_bisection_finds_the_bug_commit_skips_the_broken_build_and_reuses_signatures()
    {
        var tree = await TestTreeAsync();
        using var temp = new TempDir("culprit-kernel");
        var json = temp.Sub("r.json");
        var repro = Path.Combine(AppContext.BaseDirectory, "data", "kernel-repro.c");

        // The classic strategy without build avoidance (syzbot's procedure), so that the path is git's
        // and its first pick (a broken build) is tested: with avoidance the docs-only commits would be
        // no candidates and git's path would be another (the flaky test below checks that path).
        // --ccache: the suite's other kernel builds (Kernel.Tests' workers) have compiled most objects.
        var run = await CliHarness.InvokeAsync("bisect", "--kernel", "--strategy", "classic", "--no-build-avoidance", "--ccache", "--repo", tree["repo"], "--bad", tree["bad"],
            "--config", tree["config"], "--repro", repro, "--runs", "2", "--vms", "2", "--boot-timeout", "300", "--run-timeout", "300",
            "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        var tested = root.GetProperty("tested").EnumerateArray().ToList();
        var stats = root.GetProperty("stats");
        output.WriteLine($"kernel e2e: {stats}");
        output.WriteLine("kernel e2e path: " + string.Join(", ", tested.Select(t =>
            $"{Commit(t)[..12]} {t.GetProperty("phase").GetString()} {t.GetProperty("verdict").GetString()}"
            + (t.GetProperty("reused_from").GetString() is { } from ? $" (reused {from[..12]})" : ""))));
        Assert.Equal("found", root.GetProperty("result").GetString());
        Assert.Equal(tree["culprit"], root.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.StartsWith("WARNING in ", root.GetProperty("crash_title").GetString());
        Assert.Matches("^[0-9a-f]{64}$", root.GetProperty("signature").GetString()!);
        Assert.Matches("^[0-9a-f]{64}$", root.GetProperty("parent_signature").GetString()!);
        var cc = root.GetProperty("cc").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(tree["culprit_author"], cc);
        Assert.Contains("linux-kernel@vger.kernel.org", cc);
        Assert.Contains("kernel/sys.c", root.GetProperty("report").GetString());

        // The seed's line shapes.
        Assert.Contains("testing release v6.1", run.Output);
        Assert.Matches(@"testing commit [0-9a-f]{40} with gcc \(", run.Output);
        Assert.Matches(@"kernel signature: [0-9a-f]{64}", run.Output);
        Assert.Contains($"first bad commit: {tree["culprit"]} {tree["culprit_subject"]}", run.Output);
        Assert.Matches(@"culprit signature: [0-9a-f]{64}", run.Output);
        Assert.Matches(@"parent  signature: [0-9a-f]{64}", run.Output);
        Assert.Matches(@"cc: \[""", run.Output);

        Assert.True(stats.GetProperty("signature_reuses").GetInt32() >= 1, "a docs-only commit should reuse a tested kernel's outcome by its signature");
        Assert.Equal(0, stats.GetProperty("builds_avoided").GetInt32() + stats.GetProperty("candidates_dropped").GetInt32());
        // git's first pick, the middle of the range, does not build: the bisection skips it with the compiler's error and goes on.
        var broken = tree["build_broken_commits"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var failed = tested.Where(t => t.GetProperty("build_error").ValueKind == JsonValueKind.String).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, t =>
        {
            Assert.Contains(Commit(t), broken);
            Assert.Equal("skip", t.GetProperty("verdict").GetString());
            Assert.Contains("exit_code_to_status", t.GetProperty("build_error").GetString());
            Assert.Empty(t.GetProperty("runs").EnumerateArray());
        });
        Assert.Contains(tested, t => broken.Contains(Commit(t)));
        Assert.DoesNotContain(tested, t => broken.Contains(Commit(t)) && t.GetProperty("verdict").GetString() != "skip");
        Assert.Matches(@"build failed:\n    .*exit_code_to_status", run.Output);

        // A second job on this machine (the same store, so the same work root), with another config:
        // its first build starts from the build directory the job above left, not from nothing.
        var left = Assert.Single(OtherJobsBuilds.Newest(Path.Combine(temp.Sub("work"), "next-job")));
        var config = temp.Sub("second.config");
        File.WriteAllText(config, File.ReadAllText(tree["config"]).Replace("CONFIG_LOCALVERSION=\"\"", "CONFIG_LOCALVERSION=\"-second\""));
        var second = await CliHarness.InvokeAsync("bisect", "--kernel", "--strategy", "classic", "--ccache", "--repo", tree["repo"],
            "--bad", tree["culprit"], "--good", tree["culprit"] + "^", "--config", config, "--repro", repro, "--runs", "2", "--vms", "2",
            "--no-verify", "--boot-timeout", "300", "--run-timeout", "300", "--store", temp.Sub("s.db"));
        output.WriteLine(second.Output);
        Assert.True(second.ExitCode == 0, second.Error + second.Output);
        Assert.Contains($"first bad commit: {tree["culprit"]} ", second.Output);
        Assert.Matches($@"O= directory started from a copy of {Regex.Escape(left.Output)} \(its build of {left.Commit}; \d+ files? differs?\): not built from scratch", second.Output);

        static string Commit(JsonElement t) => t.GetProperty("commit").GetString()!;
    }

    [KernelFact]
    public async Task The_default_flaky_strategy_finds_the_kernel_bug_commit_with_its_confidence_on_two_workers()
    {
        var tree = await TestTreeAsync();
        using var temp = new TempDir("culprit-kernel");
        var json = temp.Sub("r.json");
        var repro = Path.Combine(AppContext.BaseDirectory, "data", "kernel-repro.c");
        // This bisection runs as on a machine whose KVM opens but cannot run a vCPU (nested
        // virtualization): its QEMU fails every KVM VM with the MSR error; the other kernel bisection
        // uses this machine's own QEMU (KVM where it works), so the suite proves both machines.
        var qemu = temp.Sub("qemu-kvm-msr-error");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "data", "qemu-kvm-msr-error.sh"), qemu);
        File.SetUnixFileMode(qemu, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // And from a bare mirror of the tree, as a CI fleet keeps one: the job's worktrees are its own and go with it.
        var mirror = temp.Sub("linux.git");
        await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "clone", "-q", "--bare", tree["repo"], mirror));

        var run = await CliHarness.InvokeAsync("bisect", "--kernel", "--repo", mirror, "--bad", tree["bad"], "--good", tree["good"],
            "--config", tree["config"], "--repro", repro, "--runs", "2", "--vms", "2", "--ccache", "--no-verify", "--qemu", qemu, "--workers", "2",
            "--boot-timeout", "300", "--run-timeout", "300", "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains("VMs: KVM unusable here (failed to set MSR 0x10a), using TCG", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        output.WriteLine($"kernel e2e (flaky): {root.GetProperty("stats")}");
        Assert.Equal("flaky", root.GetProperty("strategy").GetString());
        Assert.Equal("found", root.GetProperty("result").GetString());
        Assert.Equal(tree["culprit"], root.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.True(root.GetProperty("confidence").GetDouble() >= 0.95);
        Assert.Contains("culprit confidence: ", run.Output);
        // Built through ccache, the kernel still names its source files from the tree's top, as a plain build does.
        Assert.Contains(" at kernel/sys.c:", root.GetProperty("report").GetString());
        // The bad commit's build already shows the docs-only and unbuilt-driver commits cannot change the kernel: not candidates.
        Assert.True(root.GetProperty("stats").GetProperty("candidates_dropped").GetInt32() >= 1);
        Assert.Matches(@"\d+ commits cannot change the kernel \(touch only files the build did not read\): not candidates", run.Output);
        Assert.Contains($"commit {tree["docs_only"]} cannot change the kernel (touches only Documentation/process/howto.rst): same as its parent", run.Output);
        // The second worker's first build starts from a copy of the first worker's build directory, not from nothing.
        Assert.Matches(@"testing 2 commits at once: [0-9a-f]{40} [0-9a-f]{40}", run.Output);
        Assert.Matches(@"O= directory started from a copy of .*/build \(its build of [0-9a-f]{40}; \d+ files? differs?\): not built from scratch", run.Output);
        var worktrees = await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", mirror, "worktree", "list", "--porcelain"));
        Assert.Single(worktrees.StandardOutput.Split('\n'), l => l.StartsWith("worktree ", StringComparison.Ordinal));
        // Build avoidance is sound: every commit it did not build or took out of the candidates, built now, is the kernel it was judged by.
        await KernelBuildAvoidance.AssertAvoidedCommitsBuildTheirKernelAsync(tree, run.Output, root, temp, output);
    }

    [KernelFact]
    public async Task A_reproducer_that_does_not_compile_is_a_one_line_error()
    {
        var tree = await TestTreeAsync();
        using var temp = new TempDir("culprit-kernel");
        var repro = temp.Sub("broken.c");
        await File.WriteAllTextAsync(repro, "int main(void) { return undeclared_thing; }\n");

        var run = await CliHarness.InvokeAsync("bisect", "--kernel", "--repo", tree["repo"], "--bad", tree["bad"],
            "--config", tree["config"], "--repro", repro, "--store", temp.Sub("s.db"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("does not compile", run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--compilers", "garbage line\n", 1, "compilers.txt:1: 'garbage' is not a range: write FROM..TO, FROM.. or ..TO")]
    [InlineData("--compilers", "5.10.. gcc\n4.19..5.9 gcc 10\n", 1, "compilers.txt:2: expected 'RANGE COMPILER'")]
    [InlineData("--compiler", "gcc -O2", 2, "--compiler 'gcc -O2' is not a compiler: give gcc, clang, a name like gcc-10 or a path")]
    public async Task A_compiler_choice_that_cannot_be_read_is_named_before_anything_is_stored(string option, string value, int exit, string expected)
    {
        using var temp = new TempDir("culprit-kernel");
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 2, culprit: 1);
        await File.WriteAllTextAsync(temp.Sub("k.config"), "CONFIG_64BIT=y\n");
        await File.WriteAllTextAsync(temp.Sub("r.c"), "int main(void) { return 0; }\n");
        var given = value;
        if (option == "--compilers")
        {
            await File.WriteAllTextAsync(temp.Sub("compilers.txt"), value);
            given = temp.Sub("compilers.txt");
        }
        var run = await CliHarness.InvokeAsync("bisect", "--kernel", "--repo", repo.Path, "--bad", "main",
            "--config", temp.Sub("k.config"), "--repro", temp.Sub("r.c"), option, given, "--store", temp.Sub("s.db"));

        Assert.Equal(exit, run.ExitCode);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("internal error", run.Error);
        Assert.False(File.Exists(temp.Sub("s.db")), "nothing is stored for a job whose compilers cannot be read");
    }

    [Fact]
    public async Task A_missing_config_is_named()
    {
        using var temp = new TempDir("culprit-kernel");
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 2, culprit: 1);
        var run = await CliHarness.InvokeAsync("bisect", "--kernel", "--repo", repo.Path, "--bad", "main",
            "--config", temp.Sub("no.config"), "--repro", temp.Sub("r.c"), "--store", temp.Sub("s.db"));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal($"culprit: --config {temp.Sub("no.config")}: not found", run.Error.Trim());

        Directory.CreateDirectory(temp.Sub("configs"));
        run = await CliHarness.InvokeAsync("bisect", "--kernel", "--repo", repo.Path, "--bad", "main",
            "--config", temp.Sub("configs"), "--repro", temp.Sub("r.c"), "--store", temp.Sub("s.db"));
        Assert.Equal($"culprit: --config {temp.Sub("configs")}: is a directory, not a file", run.Error.Trim());
    }
}

/// <summary>A test that builds kernels and boots them; skipped, with the reason, only where QEMU cannot run at all.</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        if (!File.Exists("/usr/bin/qemu-system-x86_64"))
        {
            Skip = "qemu-system-x86_64 is not installed (Debian package qemu-system-x86): cannot boot test VMs";
        }
    }
}
