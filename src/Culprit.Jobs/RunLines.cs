using Culprit.Core.Domain;

namespace Culprit.Jobs;

/// <summary>The log lines for a tested commit's runs: <c>all runs: X</c> when they agree, else <c>run #N: X</c> each.</summary>
internal static class RunLines
{
    public static IEnumerable<string> For(CommitOutcome outcome, IReadOnlySet<int>? unrelated = null)
    {
        if (!outcome.Built || outcome.Runs.Count == 0)
        {
            yield break;
        }
        var lines = outcome.Runs.Select((r, i) => r.Describe() + (unrelated?.Contains(i) == true ? " (unrelated)" : "")).ToList();
        if (lines.All(l => l == lines[0]))
        {
            yield return $"all runs: {lines[0]}";
            yield break;
        }
        for (var i = 0; i < lines.Count; i++)
        {
            yield return $"run #{i}: {lines[i]}";
        }
    }
}
