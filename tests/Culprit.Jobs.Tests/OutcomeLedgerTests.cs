using Culprit.Core.Domain;
using Xunit;

namespace Culprit.Jobs.Tests;

/// <summary>
/// A resumed job must decide as its first pass did: what it reads of its outcomes is what it has
/// reached, never the stored outcomes still ahead of it.
/// </summary>
public class OutcomeLedgerTests
{
    [Fact]
    public void A_resumed_ledger_knows_only_the_outcomes_handed_back_so_far()
    {
        var records = new MemoryJobRecords();
        var first = new OutcomeLedger(records);
        first.Append(new CommitOutcome("a", true, [RunOutcome.Ok()]), "bisect");
        first.Append(new CommitOutcome("b", true, [RunOutcome.Crash("BUG: x", "report")]), "verify-crashing");

        var resumed = new OutcomeLedger(records);
        Assert.Equal(2, resumed.All.Count);
        Assert.Empty(resumed.Known);

        Assert.NotNull(resumed.TakeStored("a", "bisect"));
        Assert.Equal(["a"], resumed.Known.Select(e => e.Outcome.Commit));

        Assert.NotNull(resumed.TakeStored("b", "verify-crashing"));
        resumed.Append(new CommitOutcome("c", true, [RunOutcome.Ok()]), "verify-revert");
        Assert.Equal(["a", "b", "c"], resumed.Known.Select(e => e.Outcome.Commit));
    }

    [Fact]
    public void Bisection_outcomes_carry_their_round_and_a_resume_sees_which_stored_rounds_are_whole()
    {
        var records = new MemoryJobRecords();
        var first = new OutcomeLedger(records);
        first.Append(Ok("end"), "reproduce");
        first.BeginRound(2);
        first.Append(Ok("a"), "bisect");
        first.Append(Ok("b"), "bisect");
        first.BeginRound(3);
        first.Append(Ok("c"), "bisect");
        first.Append(Ok("d"), "bisect");

        Assert.Equal([null, new RoundMark(1, 2), new RoundMark(1, 2), new RoundMark(2, 3), new RoundMark(2, 3)], records.Outcomes().Select(e => e.Round));
        var resumed = new OutcomeLedger(records);
        Assert.Equal(0, resumed.WholeRoundAhead(unmarkedAreAlone: true));
        resumed.TakeStored("end", "reproduce");
        Assert.Equal(2, resumed.WholeRoundAhead(unmarkedAreAlone: false));
        resumed.PassStoredRound();
        resumed.TakeStored("a", "bisect");
        resumed.TakeStored("b", "bisect");
        // The second round stored two of its three: it is decided again, and its third test appended with its mark.
        Assert.Equal(0, resumed.WholeRoundAhead(unmarkedAreAlone: true));
        resumed.BeginRound(3);
        resumed.TakeStored("c", "bisect");
        resumed.TakeStored("d", "bisect");
        resumed.Append(Ok("e"), "bisect");
        Assert.Equal(new RoundMark(2, 3), records.Outcomes()[^1].Round);
    }

    [Fact]
    public void Outcomes_stored_without_rounds_are_rounds_of_one_only_for_a_job_of_one_worker()
    {
        var records = new MemoryJobRecords();
        records.AppendOutcome(0, new StoredEntry(Ok("a"), "bisect"));
        records.AppendOutcome(1, new StoredEntry(Ok("b"), "bisect"));

        var resumed = new OutcomeLedger(records);
        Assert.Equal(1, resumed.WholeRoundAhead(unmarkedAreAlone: true));
        Assert.Equal(0, resumed.WholeRoundAhead(unmarkedAreAlone: false));
    }

    [Fact]
    public void A_planned_round_fits_only_what_is_stored_of_that_round()
    {
        var records = new MemoryJobRecords();
        var first = new OutcomeLedger(records);
        first.BeginRound(1);
        first.Append(Ok("a"), "bisect");
        first.BeginRound(2);
        first.Append(Ok("b"), "bisect");

        var resumed = new OutcomeLedger(records);
        // Round 1 is stored ahead: a plan for it as round 1 of two tests, or of other commits, does not fit.
        Assert.False(resumed.StoredAheadFits(["a", "x"]));
        Assert.False(resumed.StoredAheadFits(["x"]));
        Assert.True(resumed.StoredAheadFits(["a"]));
        resumed.PassStoredRound();
        resumed.TakeStored("a", "bisect");
        // Round 2 was cut short after b: its plan must hold b, and be of two tests.
        Assert.True(resumed.StoredAheadFits(["c", "b"]));
        Assert.False(resumed.StoredAheadFits(["c", "d"]));
        Assert.False(resumed.StoredAheadFits(["b"]));
        resumed.BeginRound(2);
        resumed.TakeStored("b", "bisect");
        // Nothing stored ahead: any plan of the next round fits.
        Assert.True(resumed.StoredAheadFits(["e", "f"]));
    }

    private static CommitOutcome Ok(string commit) => new(commit, true, [RunOutcome.Ok()]);
}
