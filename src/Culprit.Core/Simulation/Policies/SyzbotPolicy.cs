using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Core.Simulation.Policies;

/// <summary>
/// syzbot's verdict on N runs of which I were infra errors, a crash of any title counting: bad when
/// at least max(2, (N−I)/6) runs crashed and crashes + OK runs ≥ N/2; good when none crashed and
/// OK runs ≥ N/2 (¾N once the reproducer is known to be flaky); skip otherwise. Integer division,
/// as in syzkaller's Go.
/// </summary>
public sealed class SyzbotPolicy : IVerdictPolicy
{
    public bool Flaky { get; set; }

    public Verdict Judge(CommitOutcome outcome)
    {
        if (!outcome.Built)
        {
            return Verdict.Skip;
        }
        var n = outcome.Runs.Count;
        var infra = outcome.InfraErrors;
        var crashes = outcome.Crashes;
        var oks = outcome.Oks;
        if (crashes >= Math.Max(2, (n - infra) / 6) && crashes + oks >= n / 2)
        {
            return Verdict.Bad;
        }
        if (crashes == 0 && oks >= (Flaky ? 3 * n / 4 : n / 2))
        {
            return Verdict.Good;
        }
        return Verdict.Skip;
    }
}
