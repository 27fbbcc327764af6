using Culprit.Core.Domain;

namespace Culprit.Core.Strategies;

/// <summary>Turns the outcome of testing one commit into a verdict. Replaceable on its own.</summary>
public interface IVerdictPolicy
{
    Verdict Judge(CommitOutcome outcome);
}

/// <summary>
/// The plain policy: bad if any run crashed (or hung), good if at least one run was OK and none
/// crashed, skip when the build failed or every run was an infra error.
/// </summary>
public sealed class AnyCrashPolicy : IVerdictPolicy
{
    public static readonly AnyCrashPolicy Instance = new();

    public Verdict Judge(CommitOutcome outcome)
    {
        if (!outcome.Built)
        {
            return Verdict.Skip;
        }
        if (outcome.Crashes > 0)
        {
            return Verdict.Bad;
        }
        return outcome.Oks > 0 ? Verdict.Good : Verdict.Skip;
    }
}

/// <summary>
/// Fix bisection: the old commits crash and the new ones do not, so "new" (what strategies call
/// bad) means the crash is gone. Wraps a cause-direction policy and swaps good and bad.
/// </summary>
public sealed class FixDirectionPolicy(IVerdictPolicy inner) : IVerdictPolicy
{
    public Verdict Judge(CommitOutcome outcome) => inner.Judge(outcome) switch
    {
        Verdict.Bad => Verdict.Good,
        Verdict.Good => Verdict.Bad,
        _ => Verdict.Skip,
    };
}

/// <summary>
/// The user named the bug's crash (as a syzbot report names its bug): bad if a run crashed with that
/// title (or has it among its alt titles), good if a run was OK or crashed otherwise (another bug's
/// crash says nothing about this one), skip when the build failed or every run was an infra error.
/// </summary>
public sealed class NamedCrashPolicy(string title) : IVerdictPolicy
{
    public string Title { get; } = title;

    public bool IsTheBug(RunOutcome run) => run.ShowsAnyOf([Title]);

    public Verdict Judge(CommitOutcome outcome)
    {
        if (!outcome.Built)
        {
            return Verdict.Skip;
        }
        if (outcome.Runs.Any(IsTheBug))
        {
            return Verdict.Bad;
        }
        return outcome.Runs.Any(r => r.Result != RunResult.InfraError) ? Verdict.Good : Verdict.Skip;
    }
}
