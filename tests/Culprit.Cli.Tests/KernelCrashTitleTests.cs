using System.Text.Json;

namespace Culprit.Cli.Tests;

/// <summary>Every run's output goes through the kernel crash parser.</summary>
public sealed class KernelCrashTitleTests
{
    [Fact]
    public async Task A_kernel_crash_report_in_a_runs_output_counts_as_crashed_with_its_title_whatever_the_exit_status()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 8, culprit: 5);
        var console = Path.Combine(AppContext.BaseDirectory, "data", "warning-console.txt");
        var test = $"if [ \"$(cat bug)\" = 1 ]; then cat '{console}'; fi; exit 0";
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", test, "--runs", "2", "--no-verify", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("all runs: crashed: WARNING in sethostname", run.Output);
        Assert.Contains($"first bad commit: {repo.Hashes[5]}", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("WARNING in sethostname", doc.RootElement.GetProperty("crash_title").GetString());
        Assert.Contains("WARNING: CPU: 0 PID: 57 at kernel/sys.c:1380", doc.RootElement.GetProperty("report").GetString());
    }

    [Fact]
    public async Task A_title_line_wins_over_the_kernel_parser_for_non_kernel_tests()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 4, culprit: 2);
        var console = Path.Combine(AppContext.BaseDirectory, "data", "warning-console.txt");
        var test = $"if [ \"$(cat bug)\" = 1 ]; then echo 'TITLE: my own title'; cat '{console}'; exit 1; fi";
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", test, "--runs", "1", "--no-verify", "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("all runs: crashed: my own title", run.Output);
    }
}
