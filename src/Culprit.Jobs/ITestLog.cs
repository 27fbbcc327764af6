using Culprit.Core.Domain;

namespace Culprit.Jobs;

/// <summary>Where a commit's test writes its log lines, and how its outcome is stored with them.</summary>
internal interface ITestLog
{
    void Line(string text);

    /// <summary>Stores a finished test's outcome (<paramref name="store"/> appends it to the ledger); its lines go with it.</summary>
    void Stored(CommitOutcome outcome, Action store) => store();
}
