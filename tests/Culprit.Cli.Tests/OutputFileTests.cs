using Culprit.Store;

namespace Culprit.Cli.Tests;

/// <summary>Files Culprit writes are checked first: never the store itself, never a directory or an empty name.</summary>
public sealed class OutputFileTests
{
    private static Task<(ScriptedRepository Repo, string Store, string Id)> FinishedJobAsync(TempDir temp) => CliHarness.FinishedJobAsync(temp, 4, 2);

    private static int JobCount(string store)
    {
        using var jobs = JobStore.Open(store);
        return jobs.ListJobs().Count;
    }

    [Theory]
    [InlineData("same")]
    [InlineData("symlink")]
    [InlineData("hardlink")]
    public async Task Json_naming_the_store_is_refused_and_the_store_is_kept(string how)
    {
        using var temp = new TempDir();
        var (repo, store, _) = await FinishedJobAsync(temp);
        var target = how switch
        {
            "same" => store,
            "symlink" => temp.Sub("link.json"),
            _ => temp.Sub("hard.json"),
        };
        if (how == "symlink")
        {
            File.CreateSymbolicLink(target, store);
        }
        else if (how == "hardlink")
        {
            await Culprit.Processes.ProcessRunner.RunCheckedAsync(Culprit.Processes.ProcessSpec.Of("ln", store, target));
        }

        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "1", "--store", store, "--json", target);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"culprit: --json {target} is the job store itself; writing it would destroy the jobs", run.Error.Trim());
        Assert.Equal(1, JobCount(store));
    }

    [Fact]
    public async Task Report_output_naming_the_store_is_refused()
    {
        using var temp = new TempDir();
        var (_, store, id) = await FinishedJobAsync(temp);

        var run = await CliHarness.InvokeAsync("report", id, "--format", "html", "-o", store, "--store", store);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("is the job store itself", run.Error);
        Assert.Equal(1, JobCount(store));
    }

    [Fact]
    public async Task Report_output_dash_is_standard_output()
    {
        using var temp = new TempDir();
        var (_, store, id) = await FinishedJobAsync(temp);

        var run = await CliHarness.InvokeAsync("report", id, "-o", "-", "--store", store);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("is the first bad commit", run.Output);
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "-")));
    }

    [Fact]
    public async Task Report_output_that_is_empty_or_a_directory_is_one_clear_line()
    {
        using var temp = new TempDir();
        var (_, store, id) = await FinishedJobAsync(temp);

        var empty = await CliHarness.InvokeAsync("report", id, "-o", "", "--store", store);
        var dir = await CliHarness.InvokeAsync("report", id, "-o", temp.Path, "--store", store);

        Assert.NotEqual(0, empty.ExitCode);
        Assert.Equal("culprit: -o needs a file name (got an empty one)", empty.Error.Trim());
        Assert.NotEqual(0, dir.ExitCode);
        Assert.Equal($"culprit: -o {temp.Path} is a directory, not a file", dir.Error.Trim());
    }

    [Fact]
    public async Task A_revision_with_a_newline_is_named_in_full_in_its_error()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 3, culprit: 1);

        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main\nBcc: someone@example.com", "--good", repo.Hashes[0],
            "--build", "true", "--test", "true", "--store", temp.Sub("s.db"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(@"culprit: unknown revision: main\nBcc: someone@example.com", run.Error.Trim());
    }
}
