using System.Text.RegularExpressions;
using Culprit.Core.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// A commit whose runs leave it in doubt is in doubt because two stories fit them, each with its
/// own repro chance and background rate; more runs on it are worth what they tell those apart, so
/// the planner goes to other commits instead of running it to the end of the budget.
/// </summary>
public partial class CommitInDoubtTests
{
    [Fact]
    public async Task A_commit_left_in_doubt_is_not_run_to_the_end_of_the_budget()
    {
        // Pinned, model world: a crash in about one run of eight. The planner, scoring runs by the average repro chance
        // and background rate, ran one built commit 1,024 times of the job's 1,200, its verdict going between 54 % and
        // 94 %, and the budget ran out with no answer.
        var (scenario, job) = await PinnedWorld.RunAsync(World.Model, 682, seed: 1);

        PinnedWorld.AssertFoundTheCulprit(scenario, job);
        var runsOf = new Dictionary<string, int>();
        string? commit = null;
        foreach (var line in job.Log)
        {
            if (TestingLine().Match(line) is { Success: true } m)
            {
                commit = m.Groups[1].Value;
            }
            else if (commit is not null && line.StartsWith("run #", StringComparison.Ordinal))
            {
                runsOf[commit] = runsOf.GetValueOrDefault(commit) + 1;
            }
        }
        var most = runsOf.MaxBy(r => r.Value);
        Assert.True(most.Value * 2 < runsOf.Values.Sum(), $"{most.Key} had {most.Value} of {runsOf.Values.Sum()} runs");
    }

    [GeneratedRegex("^testing commit ([0-9a-f]{40}) ")]
    private static partial Regex TestingLine();
}
