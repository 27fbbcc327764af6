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
    /// reads: a resumed job records its stored outcomes without asking (<see cref="RecordStored"/>, Jobs' StoredStepReplay).
    /// </summary>
    BisectionStep Next();

    /// <summary>Records the outcome of a commit asked for and says how it was judged.</summary>
    Judgement Record(CommitOutcome outcome);

    /// <summary>
    /// Records the outcome of a commit a resumed job takes back from its store, of a round of
    /// <paramref name="roundTests"/> tests asked for at once, without making the decision that asked for
    /// it again (the job records a whole round's outcomes in the order it stored them). The state it
    /// leaves is the one <see cref="Record"/> left after that decision; by default it is <see cref="Record"/>.
    /// </summary>
    Judgement RecordStored(CommitOutcome outcome, int roundTests) => Record(outcome);

    /// <summary>
    /// Tells the strategy that each of <paramref name="commits"/> builds exactly what its first parent
    /// builds (the job found that its diff touches nothing the build reads, Jobs' SameBuildCommits): it
    /// shares its parent's verdict, so it is no longer a candidate: never tested, never named the
    /// culprit. Commits outside the range are ignored. Until something is told, the strategy's path is
    /// its own (classic: git's exact one). Like <see cref="Record"/>, it must be told at the same points on a resume.
    /// </summary>
    void BuildsSameAsParent(IEnumerable<string> commits);

    /// <summary>
    /// What to test next with <paramref name="workers"/> testers at once: a <see cref="TestRound"/>
    /// of up to that many distinct commits, or <see cref="Finished"/>. Each outcome is recorded as it
    /// arrives; the next round is asked for once the whole round is recorded. With one worker it is
    /// exactly <see cref="Next"/>; a strategy that cannot choose jointly tests one commit per round.
    /// </summary>
    BisectionStep NextRound(int workers) => TestRound.Of(Next());

    /// <summary>
    /// The commit the strategy would most likely ask for once <paramref name="commit"/> (being
    /// tested) is recorded, under its likelier verdict, for an idle worker to build ahead; null when
    /// it cannot tell. Asking changes nothing.
    /// </summary>
    string? LikelyNext(string commit) => null;

    /// <summary>
    /// The chance that <paramref name="runs"/> runs of a commit with the bug all fail to show it, as
    /// the strategy estimates the reproducer (for <see cref="VerifiedConfidence"/>); 0 for a strategy
    /// that takes every run of such a commit to show the bug.
    /// </summary>
    double ChanceOfMissing(int runs) => 0;

    /// <summary>
    /// The same for a round: what the strategy would most likely ask for first once every commit of
    /// <paramref name="testing"/> (being tested, with their run counts) is recorded under its likelier result.
    /// </summary>
    string? LikelyNext(IReadOnlyList<(string Commit, int Runs)> testing) => testing.Count == 1 ? LikelyNext(testing[0].Commit) : null;
}

/// <summary>What a strategy asks for next.</summary>
public abstract record BisectionStep;

/// <summary>
/// Test <paramref name="Commit"/> with <paramref name="Runs"/> runs. <paramref name="RevisionsLeft"/>
/// and <paramref name="Steps"/> feed the log's <c>Bisecting: N revisions left to test after this
/// (roughly K steps)</c> line. <paramref name="SettlingTitles"/>: crash titles the strategy holds to be
/// the bug's, so that one run showing any of them settles the commit whatever its other runs would
/// show; the tester starts no further run of the commit once one did (a crash seen already said
/// "bad", the rest would cost machine time for nothing). Null or empty: every run is made.
/// </summary>
public sealed record TestCommit(string Commit, int Runs, int RevisionsLeft, int Steps, IReadOnlyList<string>? SettlingTitles = null) : BisectionStep
{
    /// <summary>Equal tests ask the same: the settling titles are compared by content, not by list (a record would compare the lists' references).</summary>
    public bool Equals(TestCommit? other) =>
        other is not null && Commit == other.Commit && Runs == other.Runs && RevisionsLeft == other.RevisionsLeft && Steps == other.Steps
        && (SettlingTitles ?? []).SequenceEqual(other.SettlingTitles ?? []);

    public override int GetHashCode() => HashCode.Combine(Commit, Runs, RevisionsLeft, Steps, SettlingTitles?.Count ?? 0);
}

/// <summary>Commits to test at once, one per worker; the first is what <see cref="IBisectionStrategy.Next"/> would test alone.</summary>
public sealed record TestRound(IReadOnlyList<TestCommit> Tests) : BisectionStep
{
    /// <summary>A single test as a round of one; anything else (<see cref="Finished"/>) as it is.</summary>
    public static BisectionStep Of(BisectionStep step) => step is TestCommit test ? new TestRound([test]) : step;
}

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
