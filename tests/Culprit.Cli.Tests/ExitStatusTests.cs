using System.Text.Json;

namespace Culprit.Cli.Tests;

/// <summary>bisect and resume tell results apart by exit status: 0 found, 1 error, 2 usage, 3 not reproduced, 4 inconclusive or doubtful.</summary>
public sealed class ExitStatusTests
{
    private static Task<CliHarness.Run> BisectAsync(ScriptedRepository repo, string good, string test, TempDir temp, params string[] more) =>
        CliHarness.InvokeAsync(["bisect", "--repo", repo.Path, "--bad", "main", "--good", good, "--build", ScriptedRepository.Build,
            "--test", test, "--runs", "2", "--store", temp.Sub("s.db"), .. more]);

    [Fact]
    public async Task A_bug_that_does_not_reproduce_on_the_bad_commit_exits_3()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 4, culprit: 2);

        var run = await BisectAsync(repo, repo.Hashes[0], "true", temp);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("the crash does not reproduce on", run.Output);
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task A_good_commit_that_crashes_is_its_own_result_and_exits_4(string strategy)
    {
        using var temp = new TempDir();
        // The bug is there from the first commit: the "good" commit crashes too.
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 6, culprit: 0);
        var json = temp.Sub("r.json");

        var run = await BisectAsync(repo, repo.Hashes[0], ScriptedRepository.Test, temp, "--strategy", strategy, "--json", json);

        Assert.Equal(4, run.ExitCode);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("good-commit-crashes", doc.RootElement.GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("culprit").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("confidence").ValueKind);
        Assert.Contains($"the crash reproduces on the good commit {repo.Hashes[0]}: 4 of 4 runs crashed", run.Output);
        Assert.DoesNotContain("culprit confidence", run.Output);
        Assert.DoesNotContain("is the first bad commit", run.Output);
    }

    [Fact]
    public async Task A_found_and_verified_culprit_exits_0()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 6, culprit: 3);

        var run = await BisectAsync(repo, repo.Hashes[0], ScriptedRepository.Test, temp);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("culprit verified", run.Output);
    }

    [Theory]
    [InlineData("bisect")]
    [InlineData("resume")]
    public async Task Help_lists_the_exit_statuses(string command)
    {
        var run = await CliHarness.InvokeAsync(command, "--help");

        Assert.Contains("exit status: 0 culprit found and verified, 1 error, 2 usage, 3 bug not reproduced on the bad commit, 4 inconclusive or doubtful", run.Output.Replace("\n", " ").Replace("  ", " "));
    }

    [Theory]
    [InlineData("--runs", "abc", "--runs must be a whole number (got 'abc')")]
    [InlineData("--runs", "1.5", "--runs must be a whole number (got '1.5')")]
    [InlineData("--workers", "abc", "--workers must be a whole number (got 'abc')")]
    [InlineData("--confidence", "high", "--confidence must be a number (got 'high')")]
    [InlineData("--boot-timeout", "zz", "--boot-timeout must be a number (got 'zz')")]
    [InlineData("--runs", "10000000", "--runs must be between 1 and 1000 (got 10000000)")]
    [InlineData("--runs", "0", "--runs must be between 1 and 1000 (got 0)")]
    [InlineData("--run-timeout", "4294968", "--run-timeout must be between 0 and 604800 seconds (7 days), got 4294968")]
    [InlineData("--run-timeout", "NaN", "--run-timeout must be between 0 and 604800 seconds (7 days), got NaN")]
    [InlineData("--confidence", "NaN", "--confidence must be above 0.5 and below 1 (got NaN)")]
    [InlineData("--max-runs", "0", "--max-runs must be between 1 and 10000000 (got 0)")]
    [InlineData("--term-old", "bad", "--term-old: can't change the meaning of the term 'bad'")]
    [InlineData("--term-new", "skip", "--term-new: can't use the builtin command 'skip' as a term")]
    [InlineData("--term-old", "not ok", "--term-old 'not ok' is not a valid term (it must be usable as a git ref name)")]
    [InlineData("--term-new", "", "--term-new '' is not a valid term")]
    public async Task An_option_out_of_its_range_is_a_one_line_usage_error_before_anything_starts(string option, string value, string expected)
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 3, culprit: 1);
        var store = temp.Sub("s.db");

        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", "true", "--test", "true", "--store", store, option, value);

        run.AssertUsageError(expected);
        Assert.False(File.Exists(store), "nothing may be written, not even an empty store");
    }

    // Every number simulate takes: a value that does not parse was an unhandled exception in the range check for some.
    [Theory]
    [InlineData("--scenarios", "abc", "--scenarios must be a whole number (got 'abc')")]
    [InlineData("--scenarios", "2147483647", "--scenarios must be between 1 and 1000000 (got 2147483647)")]
    [InlineData("--scenarios", "0", "--scenarios must be between 1 and 1000000 (got 0)")]
    [InlineData("--seed", "1.5", "--seed must be a whole number (got '1.5')")]
    [InlineData("--workers", "abc", "--workers must be a whole number (got 'abc')")]
    [InlineData("--workers", "17", "--workers must be between 1 and 16 (got 17)")]
    [InlineData("--build-minutes", "abc", "--build-minutes must be a number (got 'abc')")]
    [InlineData("--run-minutes", "0", "--run-minutes must be a number of minutes above 0 and at most 10000")]
    [InlineData("--run-minutes", "NaN", "--run-minutes must be a number of minutes above 0 and at most 10000")]
    [InlineData("--confidence", "high", "--confidence must be a number (got 'high')")]
    [InlineData("--confidence", "1", "--confidence must be above 0.5 and below 1 (got 1)")]
    [InlineData("--log", "first", "--log must be a whole number (got 'first')")]
    [InlineData("--log", "-1", "--log must be a scenario number from 0 to 999999 (got -1)")]
    public async Task Simulate_numbers_out_of_range_are_a_one_line_usage_error(string option, string value, string expected)
    {
        var run = await CliHarness.InvokeAsync("simulate", option, value);

        run.AssertUsageError(expected);
    }

    [Fact]
    public async Task A_choice_not_offered_lists_the_choices_on_the_one_line()
    {
        var run = await CliHarness.InvokeAsync("report", "some-job", "--format", "pdf");

        run.AssertUsageError("Argument 'pdf' not recognized. Must be one of: 'text', 'json', 'email', 'html'");
        Assert.DoesNotContain("\\", run.Error);
    }
}
