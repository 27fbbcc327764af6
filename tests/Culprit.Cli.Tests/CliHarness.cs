using System.CommandLine;
using Culprit.Processes;
using Xunit;

namespace Culprit.Cli.Tests;

/// <summary>Runs the culprit command in-process (fast) or as a real process (for kill tests), capturing its output.</summary>
internal static class CliHarness
{
    public sealed record Run(int ExitCode, string Output, string Error)
    {
        /// <summary>A usage error as every command gives one: exit status 2, one line on stderr that says <paramref name="expected"/>, nothing on stdout.</summary>
        public void AssertUsageError(string expected)
        {
            Assert.Equal(2, ExitCode);
            Assert.Single(Error.Trim().Split('\n'));
            Assert.StartsWith("culprit: ", Error);
            Assert.Contains(expected, Error);
            Assert.Equal("", Output);
        }
    }

    public static async Task<Run> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Program.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return new Run(exit, output.ToString(), error.ToString());
    }

    /// <summary>A finished classic job (one run a commit) on a scripted repository of <paramref name="commits"/> commits, bug at <paramref name="culprit"/>.</summary>
    public static async Task<(ScriptedRepository Repo, string Store, string Id)> FinishedJobAsync(TempDir temp, int commits, int culprit)
    {
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), commits, culprit);
        var store = temp.Sub("s.db");
        var run = await InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "1", "--store", store);
        Assert.Equal(0, run.ExitCode);
        using var jobs = Culprit.Store.JobStore.Open(store);
        return (repo, store, jobs.ListJobs().Single().Id);
    }

    /// <summary>How many outcomes a store holds so far (0 while it is not there or not readable yet): a child CLI's progress.</summary>
    public static int CountOutcomes(string store)
    {
        if (!File.Exists(store))
        {
            return 0;
        }
        try
        {
            using var jobs = Culprit.Store.JobStore.Open(store);
            return jobs.ListJobs().Sum(j => jobs.Outcomes(j.Id).Count);
        }
        catch (Culprit.Store.StoreException)
        {
            return 0;
        }
    }

    /// <summary>The CLI as built next to the tests, started as its own process.</summary>
    public static ProcessSpec Process(params string[] args) =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "culprit.dll"), .. args]);
}
