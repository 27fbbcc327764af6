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
}
