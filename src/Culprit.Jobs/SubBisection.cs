using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>
/// A bisection of part of the range with the job's strategy, one commit at a time: the searches
/// verification starts (<see cref="ReintroductionSearch"/>, <see cref="OlderBugSearch"/>) once it
/// knows a crashing end the first bisection did not have.
/// </summary>
internal static class SubBisection
{
    /// <param name="known">Tests the strategy is told first: the crashing end's, and any made already of commits in its range.</param>
    /// <param name="test">Tests a commit the strategy asks for (the outcome is recorded under the commit asked for).</param>
    public static async Task<BisectionResult> RunAsync(IBisectionStrategy strategy, IEnumerable<CommitOutcome> known,
        Func<TestCommit, CancellationToken, Task<CommitOutcome>> test, CancellationToken ct)
    {
        foreach (var outcome in known)
        {
            strategy.Record(outcome);
        }
        while (true)
        {
            var step = strategy.NextRound(1);
            if (step is Finished finished)
            {
                return finished.Result;
            }
            foreach (var one in ((TestRound)step).Tests)
            {
                strategy.Record((await test(one, ct)) with { Commit = one.Commit });
            }
        }
    }
}
