using Culprit.Core.Domain;
using Culprit.Core.Strategies;

namespace Culprit.Core.Simulation.Policies;

/// <summary>
/// syzbot's bisection procedure: git's commit choice, 20 runs on the first commit, 10 on each one
/// after and 20 once the reproducer looks flaky (a bad commit crashed in under half of its non-infra
/// runs), with <see cref="SyzbotPolicy"/>'s thresholds.
/// </summary>
public sealed class SyzbotStrategy : IBisectionStrategy
{
    public const int FirstRuns = 20;
    public const int Runs = 10;
    public const int FlakyRuns = 20;

    private readonly SyzbotPolicy _policy = new();
    private readonly ClassicStrategy _git;

    public SyzbotStrategy(CommitGraph graph)
    {
        _git = new ClassicStrategy(graph, _policy, () => _policy.Flaky ? FlakyRuns : Runs);
    }

    public string Name => "syzbot";

    public bool Flaky => _policy.Flaky;

    public BisectionStep Next() => _git.Next();

    public void BuildsSameAsParent(IEnumerable<string> commits) => _git.BuildsSameAsParent(commits);

    public Judgement Record(CommitOutcome outcome)
    {
        var judgement = _git.Record(outcome);
        if (judgement.Verdict == Verdict.Bad && 2 * outcome.Crashes < outcome.Runs.Count - outcome.InfraErrors)
        {
            _policy.Flaky = true;
        }
        return judgement;
    }
}
