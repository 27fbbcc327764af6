using Culprit.Core.Domain;
using Culprit.Jobs.Testers;

namespace Culprit.Jobs;

/// <summary>
/// git bisect run's double check of exit statuses 126 and 127, the shell's "cannot execute" and
/// "not found": when the test ends so on the crashing commit, the command itself may be what fails.
/// git then runs it on the good revision and stops if it fails there the same way (a bogus exit
/// code), instead of bisecting its way to the range's first commit. The job does the same with the
/// good commit it was given (for a fix, the fixed one), or the first release its walk tests. On any
/// later commit 126 and 127 are crashes, as they are bad for git.
/// </summary>
internal static class TestCommandCheck
{
    private static readonly Dictionary<int, string> Meanings = new()
    {
        [126] = "the command cannot be executed",
        [127] = "command not found",
    };

    /// <summary>126 or 127 when every run of <paramref name="outcomes"/> (at least one) failed with that one exit status and no crash report.</summary>
    public static int? CannotRunStatus(IEnumerable<CommitOutcome> outcomes)
    {
        var runs = outcomes.Where(o => o.Built).SelectMany(o => o.Runs).ToList();
        foreach (var status in Meanings.Keys)
        {
            var title = CommandTester.ExitStatusTitle(status);
            if (runs.Count > 0 && runs.All(r => r.Result == RunResult.Crashed && r.Title == title))
            {
                return status;
            }
        }
        return null;
    }

    /// <summary>The line the log shows before the good commit is tested.</summary>
    public static string Checking(int status, string crashing, string good) =>
        $"every run of {crashing} exited {status} ({Meanings[status]}): checking that the test command runs on the good commit {good}";

    /// <summary>Stops the job when <paramref name="good"/>'s test failed the same way as the crashing commit's.</summary>
    public static void ThrowIfSame(int status, string good, CommitOutcome goodTest, bool fixBisection = false)
    {
        if (CannotRunStatus([goodTest]) != status)
        {
            return;
        }
        var said = goodTest.Runs[0].Detail?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        throw new JobException($"the test command cannot run: it exits {status} ({Meanings[status]}) on the bad commit and on the {(fixBisection ? "fixed" : "good")} commit {good} too"
            + (string.IsNullOrEmpty(said) ? "" : $" ({said})"));
    }
}
