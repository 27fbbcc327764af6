using Culprit.Core.Domain;

namespace Culprit.Core.Strategies;

/// <summary>
/// A bisection strategy: pure and deterministic. It is told what each test showed and says what
/// to test next, or that it is done. Strategies think in "bad" = the new state (crashing for a cause
/// bisection); the job maps directions and terms.
/// </summary>
public interface IBisectionStrategy
{
    /// <summary>Name used in the log and the JSON result (<c>classic</c>, <c>flaky</c>).</summary>
    string Name { get; }

    /// <summary>
    /// What to do next given everything recorded so far. It changes nothing <see cref="Record"/>
    /// reads: a resumed job records its stored outcomes without asking (Jobs' StoredStepReplay).
    /// </summary>
    BisectionStep Next();

    /// <summary>Records the outcome of the commit last asked for and says how it was judged.</summary>
    Judgement Record(CommitOutcome outcome);
}

/// <summary>What a strategy asks for next.</summary>
public abstract record BisectionStep;

/// <summary>
/// Test <paramref name="Commit"/> with <paramref name="Runs"/> runs. <paramref name="RevisionsLeft"/>
/// and <paramref name="Steps"/> feed the log's <c>Bisecting: N revisions left to test after this
/// (roughly K steps)</c> line.
/// </summary>
public sealed record TestCommit(string Commit, int Runs, int RevisionsLeft, int Steps) : BisectionStep;

/// <summary>The strategy is done.</summary>
public sealed record Finished(BisectionResult Result) : BisectionStep;

/// <summary>
/// How a tested commit was judged. <paramref name="Probability"/> is the strategy's belief in the
/// verdict when it keeps one; <paramref name="UnrelatedRuns"/> are indexes of runs whose crash was
/// judged to be another bug; <paramref name="Notes"/> are lines for the log
/// (e.g. <c>reproducer is flaky (0.35 repro chance estimate)</c>).
/// </summary>
public sealed record Judgement(
    string Commit,
    Verdict Verdict,
    double? Probability = null,
    IReadOnlySet<int>? UnrelatedRuns = null,
    IReadOnlyList<string>? Notes = null);
