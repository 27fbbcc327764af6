using System.Text.Json;
using Culprit.Cli.Demo;

namespace Culprit.Cli.Tests;

/// <summary><c>culprit bisect --fix</c>: the first commit at which the crash is gone.</summary>
public sealed class FixBisectionTests
{
    [Fact]
    public async Task Fix_bisection_finds_the_commit_that_removed_the_crash()
    {
        using var temp = new TempDir();
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: true);
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--fix", "--repo", demo.Path, "--bad", "v1.3", "--good", "HEAD",
            "--build", "make", "--test", "./test.sh", "--runs", "2", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"bisecting fixing commit since {demo.Crashing}", run.Output);
        Assert.Contains($"first good commit: {demo.Fix} {DemoRepository.FixSubject}", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal("fix", root.GetProperty("direction").GetString());
        Assert.Equal("found", root.GetProperty("result").GetString());
        Assert.Equal(demo.Fix, root.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.Equal(DemoRepository.CrashTitle, root.GetProperty("crash_title").GetString());
        Assert.Equal("passed", root.GetProperty("verification").GetProperty("revert").GetString());
    }

    [Fact]
    public async Task A_fix_of_a_crash_shown_in_a_third_of_the_runs_is_found_with_its_confidence()
    {
        using var temp = new TempDir();
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: true, withFix: true);
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--fix", "--strategy", "flaky", "--repo", demo.Path, "--bad", "v1.3", "--good", "HEAD",
            "--build", "make", "--test", "./test.sh", "--runs", "6", "--no-verify", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"first good commit: {demo.Fix} {DemoRepository.FixSubject}", run.Output);
        await FlakyResultAssert.FoundWithConfidenceAsync(run, json);
    }

    [Fact]
    public async Task Custom_terms_name_the_verdicts_like_git_bisect()
    {
        using var temp = new TempDir();
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: true);
        var run = await CliHarness.InvokeAsync("bisect", "--fix", "--repo", demo.Path, "--bad", "v1.3", "--good", "HEAD",
            "--term-old", "broken", "--term-new", "fixed", "--no-verify",
            "--build", "make", "--test", "./test.sh", "--runs", "1", "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("# git bisect broken ", run.Output);
        Assert.Contains("# git bisect fixed ", run.Output);
        Assert.Contains($"first fixed commit: {demo.Fix}", run.Output);
    }

    [Fact]
    public async Task A_fix_bisection_whose_new_end_still_crashes_says_so()
    {
        using var temp = new TempDir();
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false);
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--fix", "--repo", demo.Path, "--bad", demo.Bug, "--good", "HEAD",
            "--build", "make", "--test", "./test.sh", "--runs", "1", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("the crash is not gone on", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("no-good-commit", doc.RootElement.GetProperty("result").GetString());
    }
}
