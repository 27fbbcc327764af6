using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>
/// The culprit was named again after its parent's crashes with the bug went to the strategy: under
/// the strategy's one repro chance for every commit with the bug, a parent that shows it now and then
/// reads as a few stray crashes beside the culprit's many. But a commit can make a bug show more
/// often without bringing it in (a race made wider, a path made hotter), and then the bug is older.
/// Below the parent, with the parent as the crashing end, the repro chance is the parent's own, and
/// a bisection there finds where the bug came in. Tests made already of commits there count as they are.
/// </summary>
/// <param name="create">The job's strategy over a range.</param>
internal sealed class OlderBugSearch(JobLog log, CommitTestRunner tests, Func<CommitGraph, IBisectionStrategy> create)
{
    /// <summary>The phase of the search's tests in the job's outcomes.</summary>
    public const string Phase = "older";

    /// <param name="culprit">The commit named twice.</param>
    /// <param name="parent">Its first parent, in <paramref name="graph"/>.</param>
    /// <param name="parentTests">The parent's built tests: the search's crashing end.</param>
    /// <param name="bugCrashes">How many of their runs showed the bug.</param>
    /// <param name="made">Every test the job has made, in order: those of commits below the parent are told to the search.</param>
    /// <returns>The commit the search names below the parent, or null when it names none.</returns>
    public async Task<BisectionResult?> FindAsync(string culprit, string parent, IReadOnlyList<CommitOutcome> parentTests, int bugCrashes, CommitGraph graph,
        IEnumerable<CommitOutcome> made, CancellationToken ct)
    {
        var below = graph.Below(parent);
        var runs = parentTests.Sum(t => t.Runs.Count(r => r.Result != RunResult.InfraError));
        log.Line($"the culprit's parent {parent} crashes with the bug too ({bugCrashes} of {runs} runs): {culprit} may only make it show more often; "
            + $"bisecting the {below.Count} commits up to {parent}");
        var earlier = made.Where(o => o.Commit != parent && below.Contains(o.Commit));
        var result = await SubBisection.RunAsync(create(below), parentTests.Concat(earlier),
            (test, ct) => tests.TestAsync(test.Commit, test.Runs, Phase, ct, test.SettlingTitles), ct);
        if (result.Kind != ResultKind.Found)
        {
            log.Line($"the search below {parent} ends {result.Kind.ToString().ToLowerInvariant()}: {result.Message}");
            return null;
        }
        log.Line($"the bug came in with {result.Culprit}, before {culprit}");
        return result;
    }
}
