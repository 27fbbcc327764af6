using Culprit.Core.Domain;

namespace Culprit.Jobs;

/// <summary>
/// Every run on a commit was an infra error of the test machine (QEMU could not start, the test said
/// 125): the job cannot tell anything about the commit, so it stops, resumable, instead of reading
/// "no crash" into it. Boot failures the kernel caused are not infra errors of the machine.
/// </summary>
public sealed class UntestableCommitException(string message) : Exception(message)
{
    /// <summary><c>could not test COMMIT: every run failed to boot (first reason)</c>, and the like for other infra errors.</summary>
    public static string Describe(CommitOutcome outcome)
    {
        var details = outcome.Runs.Select(r => r.Detail ?? "infra error").ToList();
        string[][] kinds =
        [
            ["boot failed: ", "every run failed to boot"],
            ["lost connection to test machine: ", "every run lost its test machine"],
            ["infra error: ", "every run was an infra error"],
        ];
        foreach (var kind in kinds)
        {
            if (details.All(d => d.StartsWith(kind[0], StringComparison.Ordinal)))
            {
                return $"could not test {outcome.Commit}: {kind[1]} ({details[0][kind[0].Length..]})";
            }
        }
        return $"could not test {outcome.Commit}: every run was an infra error ({details[0]})";
    }
}
