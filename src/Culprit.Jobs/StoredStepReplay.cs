using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>
/// A resumed job's fast path over its stored bisection rounds. Strategies are deterministic and
/// <see cref="IBisectionStrategy.NextRound"/> changes nothing that <see cref="IBisectionStrategy.Record"/>
/// reads, so the ledger's order is the order the strategy chose: each whole stored round is recorded
/// (<see cref="IBisectionStrategy.RecordStored"/>), outcome by outcome in the order they were stored (the
/// order the first pass recorded them), without asking for the decision that picked it (a full decision costs up to a second at a million commits).
/// A round the kill cut short is left to the job's loop: its decision is made again, since recording
/// part of it would ask for another round than the one stored, and its stored tests are taken back there.
/// Each outcome goes through the job's own recording, which logs as the first pass did: the log drops
/// the lines of all outcomes but the last (the store kept them), and writes the last one's verdict,
/// which the store dropped with the unfinished test after it.
/// </summary>
internal static class StoredStepReplay
{
    public const string Phase = "bisect";

    /// <summary>
    /// Records the stored whole rounds through <paramref name="record"/> (each outcome, and how many tests its round had); returns how many outcomes.
    /// <paramref name="unmarkedAreAlone"/>: the job has one worker, so an outcome stored without its
    /// round (by an older version) was a round of its own.
    /// </summary>
    public static int FastForward(OutcomeLedger ledger, bool unmarkedAreAlone, Action<CommitOutcome, int> record)
    {
        var recorded = 0;
        int count;
        while ((count = ledger.WholeRoundAhead(unmarkedAreAlone)) > 0)
        {
            ledger.PassStoredRound();
            for (var i = 0; i < count; i++)
            {
                // One at a time: the log knows an outcome's lines from the outcomes taken back before them.
                var entry = ledger.NextStored!;
                record(ledger.TakeStored(entry.Outcome.Commit, entry.Phase)!, count);
                recorded++;
            }
        }
        return recorded;
    }
}
