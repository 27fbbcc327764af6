using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>
/// The culprit's parent passes its check, yet the crash stays with the culprit reverted: either the parent's clean runs
/// missed the bug (the bisection stopped one commit late) or the bug went away and came back. The parent, built already,
/// is tested again first, and its crashes send the bisection on.
/// </summary>
public sealed class ParentRecheckTests
{
    [Fact]
    public async Task A_revert_that_keeps_the_crash_sends_more_runs_to_the_parent_which_crash_and_name_it()
    {
        // Commit 8 brings the bug in but shows it only from its 20th run on (a race that needs a warm machine); from 9 on
        // every run crashes. The bisection names 9, and the parent check's 19 runs of 8 are clean. The revert of 9 on the bad
        // commit keeps 8's bug, so 8 gets more runs, which crash.
        var runsOf = new Dictionary<int, int>();
        const int Shy = 19;
        RunOutcome Run(int n, int _)
        {
            var k = runsOf[n] = runsOf.GetValueOrDefault(n) + 1;
            var bug = n switch
            {
                >= 9 => true,
                8 => k > Shy,
                // A revert Culprit made: the revert of 9 keeps 8's bug; once 8 has shown it, the revert tested is 8's own.
                < 0 => runsOf.GetValueOrDefault(8) <= Shy,
                _ => false,
            };
            return bug ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok();
        }
        using var world = await ScriptedWorld.CreateAsync(17, Run, fileOf: n => $"file{n}");

        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[16], Good = world.Hashes[0], Strategy = "flaky", Runs = 10 });

        Assert.Contains(log, l => l.StartsWith($"the crash stays with {world.Hashes[9]} reverted: testing its parent {world.Hashes[8]} with ", StringComparison.Ordinal)
            && l.EndsWith(" more runs first", StringComparison.Ordinal));
        Assert.Contains($"the culprit's parent {world.Hashes[8]} crashes: bisecting on with its runs", log);
        Assert.Equal(world.Hashes[8], result.Culprit?.Commit);
        Assert.False(result.Verification?.Doubtful);
    }
}
