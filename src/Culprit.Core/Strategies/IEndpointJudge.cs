using Culprit.Core.Domain;

namespace Culprit.Core.Strategies;

/// <summary>
/// Judges the commits a job tests before its range is known: the crashing commit (does the crash
/// reproduce?) and releases walked back from it (does this one still crash?). Each strategy brings
/// its own, so a flaky reproducer is judged the same way before and during the bisection.
/// </summary>
public interface IEndpointJudge
{
    /// <summary>
    /// Judges the crashing commit from every test of it so far: bad (it crashes), good (it does not
    /// reproduce), or more runs first.
    /// </summary>
    EndpointStep JudgeCrashing(IReadOnlyList<CommitOutcome> tests);

    /// <summary>
    /// Judges a release from every test of it so far, knowing every test of the commits known to have
    /// the bug (<paramref name="crashing"/>: the crashing commit's, then those of the newer releases the
    /// walk judged bad): bad (it has the bug), good (clean enough to start from), skip (untestable), or more runs.
    /// </summary>
    EndpointStep JudgeRelease(IReadOnlyList<CommitOutcome> crashing, IReadOnlyList<CommitOutcome> tests);
}

/// <summary>What an <see cref="IEndpointJudge"/> says.</summary>
public abstract record EndpointStep;

/// <summary>The commit is judged; <paramref name="Why"/> is said in the log when there is something to add.</summary>
public sealed record EndpointVerdict(Verdict Verdict, string? Why = null) : EndpointStep;

/// <summary>Test the commit again with <paramref name="Runs"/> more runs; <paramref name="Why"/> goes to the log.</summary>
public sealed record MoreRuns(int Runs, string Why) : EndpointStep;

/// <summary>The classic judge: one test each, judged by the verdict policy alone (git bisect's way).</summary>
public sealed class PolicyEndpointJudge(IVerdictPolicy policy) : IEndpointJudge
{
    public EndpointStep JudgeCrashing(IReadOnlyList<CommitOutcome> tests) => new EndpointVerdict(policy.Judge(tests[^1]));

    public EndpointStep JudgeRelease(IReadOnlyList<CommitOutcome> crashing, IReadOnlyList<CommitOutcome> tests) =>
        new EndpointVerdict(policy.Judge(tests[^1]));
}
