using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>
/// A resumed job's fast path over its stored bisection steps. Strategies are deterministic and
/// <see cref="IBisectionStrategy.Next"/> changes nothing that <see cref="IBisectionStrategy.Record"/>
/// reads, so the ledger's order is the order the strategy chose: each stored outcome is recorded
/// without asking for the decision that picked it (a full decision costs up to a second at a
/// million commits). The last stored outcome is left to the job's loop: its decision is made again
/// and checked against the ledger (a job that no longer replays stops with an error there), and its
/// log lines, which the store dropped with the unfinished test after it, are written again.
/// </summary>
internal static class StoredStepReplay
{
    public const string Phase = "bisect";

    /// <summary>
    /// Records the stored bisection outcomes but the last one; returns how many. <paramref name="afterEach"/>
    /// runs after each, as the job's loop does after recording (it tells the strategy what the builds so far rule out).
    /// </summary>
    public static int FastForward(IBisectionStrategy strategy, OutcomeLedger ledger, IDictionary<string, Judgement> judgements, StatusTracker status,
        Action? afterEach = null)
    {
        var recorded = 0;
        while (ledger.Position < ledger.Count - 1 && ledger.NextStored is { Phase: Phase } entry)
        {
            var outcome = ledger.TakeStored(entry.Outcome.Commit, Phase)!;
            judgements[outcome.Commit] = strategy.Record(outcome);
            status.CommitDone();
            afterEach?.Invoke();
            recorded++;
        }
        return recorded;
    }
}
