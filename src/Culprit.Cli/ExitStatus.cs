using Culprit.Jobs;

namespace Culprit.Cli;

/// <summary>
/// The exit status of <c>bisect</c>, <c>resume</c> and <c>demo</c>, so scripts can tell results apart
/// (README "Exit status" and <c>--help</c> list them).
/// </summary>
internal static class ExitStatus
{
    /// <summary>A culprit was found and verified (or verification was turned off).</summary>
    public const int Found = 0;
    /// <summary>An error: bad repository or revision, unreadable store, a commit that could not be tested, an internal error.</summary>
    public const int Error = 1;
    /// <summary>The command line is wrong: unknown option, a value of the wrong type or out of range.</summary>
    public const int Usage = 2;
    /// <summary>The bug does not reproduce on the bad commit.</summary>
    public const int NotReproduced = 3;
    /// <summary>No trusted answer: inconclusive, verification failed, the good commit crashes, no good release.</summary>
    public const int Inconclusive = 4;

    /// <summary>The lines <c>--help</c> shows.</summary>
    public const string Help = "exit status: 0 culprit found and verified, 1 error, 2 usage, 3 bug not reproduced on the bad commit, " +
        "4 inconclusive or doubtful (verification failed, good commit crashes, no good commit)";

    public static int Of(JobResult result) => result.Result switch
    {
        "found" => result.Verification is { Doubtful: true } ? Inconclusive : Found,
        "not-reproduced" => NotReproduced,
        "inconclusive" or "no-good-commit" or "good-commit-crashes" => Inconclusive,
        _ => Error,
    };
}
