using Culprit.Processes;
using Culprit.Store;

namespace Culprit.Cli.Tests;

/// <summary>
/// Crash titles and commit subjects come from outside: their control characters (an ESC that
/// clears the screen, a CR that hides what came before) are shown escaped in every place a person reads.
/// </summary>
public sealed class ControlCharacterTests
{
    private const string Subject = "innocent \u001b[2J\u001b[Hchange\blooks\u0007 fine";
    private const string EscapedSubject = @"innocent \x1b[2J\x1b[Hchange\x08looks\x07 fine";
    private const string Test = "if [ \"$(cat bug)\" = 1 ]; then printf 'TITLE: KASAN: \\033[31mred\\007\\033[0m title\\n'; exit 1; fi";
    private const string EscapedTitle = @"KASAN: \x1b[31mred\x07\x1b[0m title";

    private static async Task<string[]> RepoAsync(string path)
    {
        Directory.CreateDirectory(path);
        await Git(path, "init", "-q", "-b", "main");
        var hashes = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(path, "bug"), i >= 2 ? "1\n" : "0\n");
            await File.WriteAllTextAsync(Path.Combine(path, "n"), $"{i}\n");
            await Git(path, "add", "-A");
            await Git(path, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-q", "-m", i == 2 ? Subject : $"change {i}");
            hashes.Add((await Git(path, "rev-parse", "HEAD")).StandardOutput.Trim());
        }
        return [.. hashes];
    }

    private static Task<ProcessResult> Git(string path, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", path, .. args]));

    [Fact]
    public async Task Titles_and_subjects_are_escaped_in_the_log_show_the_text_report_and_the_page()
    {
        using var temp = new TempDir();
        var hashes = await RepoAsync(temp.Sub("repo"));
        var store = temp.Sub("s.db");

        var run = await CliHarness.InvokeAsync("bisect", "--repo", temp.Sub("repo"), "--bad", "main", "--good", hashes[0],
            "--build", "true", "--test", Test, "--runs", "1", "--strategy", "classic", "--store", store);
        string id;
        using (var jobs = JobStore.Open(store))
        {
            id = jobs.ListJobs().Single().Id;
        }
        var show = await CliHarness.InvokeAsync("show", id, "--store", store);
        var text = await CliHarness.InvokeAsync("report", id, "--store", store);
        var email = await CliHarness.InvokeAsync("report", id, "--format", "email", "--store", store);
        var html = await CliHarness.InvokeAsync("report", id, "--format", "html", "--store", store);

        Assert.Equal(0, run.ExitCode);
        foreach (var (name, output) in new[] { ("log", run.Output), ("show", show.Output), ("text", text.Output), ("email", email.Output), ("html", html.Output) })
        {
            Assert.False(output.Any(c => c is '\u001b' or '\r' or '\b' or '\u0007'), $"{name} holds a raw control character");
        }
        Assert.Contains($"first bad commit: {hashes[2]} {EscapedSubject}", run.Output);
        Assert.Contains($"crash: {EscapedTitle}", run.Output);
        Assert.Contains($"first bad commit: {hashes[2]} {EscapedSubject}", show.Output);
        Assert.Contains($"    {EscapedSubject}", text.Output);
        Assert.Contains($"crash: {EscapedTitle}", email.Output);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(EscapedSubject), html.Output);
    }

    [Fact]
    public async Task A_chatty_crashing_test_stores_and_prints_its_crash_with_the_head_and_tail_of_its_output_only()
    {
        using var temp = new TempDir();
        var hashes = await RepoAsync(temp.Sub("repo"));
        var store = temp.Sub("s.db");
        // 3 MB before the crash line and 3 MB after it, as a test with verbose logging prints.
        const string chatty = "if [ \"$(cat bug)\" = 1 ]; then yes 'chatter before the crash' | head -c 3000000; " +
            "echo 'TITLE: KASAN: use-after-free in chatty_fn'; echo 'the crash report line'; " +
            "yes 'chatter after the crash' | head -c 3000000; echo 'last line'; exit 1; fi";

        var run = await CliHarness.InvokeAsync("bisect", "--repo", temp.Sub("repo"), "--bad", "main", "--good", hashes[0],
            "--build", "true", "--test", chatty, "--runs", "1", "--strategy", "classic", "--no-verify", "--store", store);

        Assert.Equal(0, run.ExitCode);
        using var jobs = JobStore.Open(store);
        var outcomes = jobs.Outcomes(jobs.ListJobs().Single().Id);
        Assert.All(outcomes, o => Assert.True(o.Json.Length < 300_000, $"an outcome of {o.Json.Length} characters was stored"));
        var crashed = outcomes.First(o => o.Json.Contains("chatty_fn", StringComparison.Ordinal)).Json;
        Assert.Contains("TITLE: KASAN: use-after-free in chatty_fn\\nthe crash report line", crashed);
        Assert.Contains("chatter before the crash", crashed);
        Assert.Contains("last line", crashed);
        Assert.Matches(@"\.\.\. \[\d+ bytes cut\] \.\.\.", crashed);
        Assert.True(run.Output.Length < 400_000, $"the log printed {run.Output.Length} characters");
    }
}
