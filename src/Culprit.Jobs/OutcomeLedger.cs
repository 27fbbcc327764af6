using Culprit.Core.Domain;
using Culprit.Store;

namespace Culprit.Jobs;

/// <summary>
/// The append-only list of a job's outcomes. A resumed job asks for the same tests in the same
/// order (strategies are deterministic), so the ledger hands back stored outcomes in sequence and
/// only tests what comes after them: nothing is tested twice. Workers of a round store and read it
/// at the same time, so every access takes its lock.
/// </summary>
internal sealed class OutcomeLedger
{
    private readonly IJobRecords _records;
    private readonly List<StoredEntry> _stored;
    private readonly Lock _lock = new();
    private int _next;

    /// <summary>The bisection rounds opened so far on this job's path (stored ones taken back count).</summary>
    private int _rounds;

    /// <summary>The round the bisection's tests belong to now: each of their outcomes is stored with it.</summary>
    private RoundMark? _round;

    public OutcomeLedger(JobStore store, string jobId) : this(new StoredJobRecords(store, jobId))
    {
    }

    public OutcomeLedger(IJobRecords records)
    {
        _records = records;
        _stored = [.. records.Outcomes()];
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _stored.Count;
            }
        }
    }

    /// <summary>How many outcomes have been handed back or appended so far.</summary>
    public int Position => _next;

    /// <summary>Every stored entry (a copy: workers may be appending).</summary>
    public IReadOnlyList<StoredEntry> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _stored];
            }
        }
    }

    /// <summary>
    /// The entries handed back or appended so far: what the job knows at this point of its path. A resumed
    /// job reads these, never the stored ones ahead of it, so its decisions are those of the first pass.
    /// </summary>
    public IReadOnlyList<StoredEntry> Known
    {
        get
        {
            lock (_lock)
            {
                return [.. _stored.Take(_next)];
            }
        }
    }

    /// <summary>The stored entry the next test will take, or null once past the stored ones.</summary>
    public StoredEntry? NextStored => _next < _stored.Count ? _stored[_next] : null;

    /// <summary>The stored outcome for the next test, when it is for <paramref name="commit"/>.</summary>
    public CommitOutcome? TakeStored(string commit, string phase)
    {
        lock (_lock)
        {
            return TakeStoredLocked(commit, phase);
        }
    }

    /// <summary>
    /// Which of a round's commits have their outcome stored next, in the order they were stored (a
    /// killed round stored those that finished); a resumed round takes them back in that order.
    /// </summary>
    public IReadOnlyList<string> StoredAmong(IReadOnlyCollection<string> commits, string phase)
    {
        lock (_lock)
        {
            var left = commits.ToHashSet(StringComparer.Ordinal);
            var found = new List<string>();
            for (var i = _next; i < _stored.Count && _stored[i].Phase == phase && left.Remove(_stored[i].Outcome.Commit); i++)
            {
                found.Add(_stored[i].Outcome.Commit);
            }
            return found;
        }
    }

    private CommitOutcome? TakeStoredLocked(string commit, string phase)
    {
        if (_next >= _stored.Count)
        {
            return null;
        }
        var entry = _stored[_next];
        if (entry.Outcome.Commit != commit || entry.Phase != phase)
        {
            throw new InvalidOperationException(
                $"the job does not replay: stored outcome #{_next} is for {entry.Phase} {entry.Outcome.Commit}, now asked for {phase} {commit}");
        }
        _next++;
        return entry.Outcome;
    }

    /// <summary>
    /// Opens the bisection's next round, of <paramref name="tests"/> tests: every bisection outcome
    /// stored until the next one opens carries its mark, so a resume knows which stored rounds are
    /// whole (<see cref="WholeRoundAhead"/>).
    /// </summary>
    public void BeginRound(int tests)
    {
        lock (_lock)
        {
            _round = new RoundMark(++_rounds, tests);
        }
    }

    /// <summary>
    /// How many stored entries from here make one whole bisection round, all stored: its mark's count
    /// of consecutive entries, or one for an entry stored without a mark (before marks were stored)
    /// when <paramref name="unmarkedAreAlone"/> (a job of one worker, whose every round is one test).
    /// 0 when the next entry is not the bisection's, or its round was cut short.
    /// </summary>
    public int WholeRoundAhead(bool unmarkedAreAlone)
    {
        lock (_lock)
        {
            if (_next >= _stored.Count || _stored[_next].Phase != StoredStepReplay.Phase)
            {
                return 0;
            }
            if (_stored[_next].Round is not { } mark)
            {
                return unmarkedAreAlone ? 1 : 0;
            }
            var count = MarkedAhead(mark);
            return count == mark.Tests ? count : 0;
        }
    }

    /// <summary>How many bisection outcomes stored from here in a row carry <paramref name="mark"/> (under the lock).</summary>
    private int MarkedAhead(RoundMark mark)
    {
        var count = 0;
        while (_next + count < _stored.Count && _stored[_next + count] is { Phase: StoredStepReplay.Phase } entry && entry.Round == mark)
        {
            count++;
        }
        return count;
    }

    /// <summary>The bisection rounds opened or taken back so far: the next one opened is this plus one.</summary>
    public int Rounds
    {
        get
        {
            lock (_lock)
            {
                return _rounds;
            }
        }
    }

    /// <summary>
    /// Whether what is stored from here fits the next round tested as <paramref name="commits"/> (a plan kept
    /// for a resume, <see cref="RoundPlanFile"/>): nothing stored, or the bisection's outcomes of that round
    /// (its number and size), each for one of those commits.
    /// </summary>
    public bool StoredAheadFits(IReadOnlyList<string> commits)
    {
        lock (_lock)
        {
            var count = MarkedAhead(new RoundMark(_rounds + 1, commits.Count));
            return count == 0 ? _next == _stored.Count : _stored.Skip(_next).Take(count).All(e => commits.Contains(e.Outcome.Commit));
        }
    }

    /// <summary>Counts a whole stored round (<see cref="WholeRoundAhead"/>) as passed; its tests are then taken back one by one (<see cref="TakeStored"/>).</summary>
    public void PassStoredRound()
    {
        lock (_lock)
        {
            _rounds++;
        }
    }

    public void Append(CommitOutcome outcome, string phase)
    {
        lock (_lock)
        {
            var entry = new StoredEntry(outcome, phase, phase == StoredStepReplay.Phase ? _round : null);
            _records.AppendOutcome(_stored.Count, entry);
            _stored.Add(entry);
            _next = _stored.Count;
        }
    }

    /// <summary>How many runs the commit had so far (reused outcomes count none): a new test's runs are numbered on from there.</summary>
    public int RunsSoFar(string commit)
    {
        lock (_lock)
        {
            return _stored.Take(_next).Where(e => e.Outcome.Commit == commit && e.Outcome.ReusedFrom is null).Sum(e => e.Outcome.Runs.Count);
        }
    }

    public bool HasOutcomeFor(string commit)
    {
        lock (_lock)
        {
            return _stored.Take(_next).Any(e => e.Outcome.Commit == commit);
        }
    }

    /// <summary>The outcomes of real builds so far (not reused, not avoided), most recent first, one per commit: what build avoidance compares with.</summary>
    public IEnumerable<CommitOutcome> BuiltSoFar() =>
        _stored.Take(_next).Select(e => e.Outcome).Where(o => o.Built && o.ReusedFrom is null).Reverse().DistinctBy(o => o.Commit);

    /// <summary>The commits with an outcome so far, in the order first tested (what a resume has taken back so far, no more).</summary>
    public IReadOnlyList<string> CommitsSoFar()
    {
        lock (_lock)
        {
            return _stored.Take(_next).Select(e => e.Outcome.Commit).Distinct().ToList();
        }
    }

    /// <summary>The latest stored outcome with this signature, for reuse without testing.</summary>
    public CommitOutcome? WithSignature(string signature)
    {
        lock (_lock)
        {
            return _stored.Take(_next).Select(e => e.Outcome).LastOrDefault(o => o.Signature == signature && o.Built && o.ReusedFrom is null);
        }
    }
}

/// <summary>
/// A stored outcome and the phase of the job it belongs to (reproduce, release, bisect, verify); a
/// bisection outcome also says its round (null in stores written before rounds were marked).
/// </summary>
public sealed record StoredEntry(CommitOutcome Outcome, string Phase, RoundMark? Round = null);

/// <summary>A bisection round: its number on the job's path and how many tests it asked for at once.</summary>
public sealed record RoundMark(int Number, int Tests);
