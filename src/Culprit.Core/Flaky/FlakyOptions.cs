namespace Culprit.Core.Flaky;

/// <summary>
/// Settings of the flake-aware strategy. <paramref name="Confidence"/> is the probability one answer
/// must reach before the bisection stops; <paramref name="MaxRuns"/> and <paramref name="MaxBuilds"/>
/// bound the work (the bad commit's runs and build included); <paramref name="AnyCrash"/> counts a
/// crash of any title as the bug, like syzbot; <paramref name="Seed"/> only changes which commits are
/// sampled when the range is too large to score every one; <paramref name="FirstRuns"/> is the number
/// of runs the bad commit gets first (doubled on each retry while the crash has not shown);
/// <paramref name="Fix"/> looks for the commit that fixed the crash instead of the one that caused it;
/// <paramref name="BugTitle"/> names the bug's crash (any title of its cluster), as a syzbot report
/// does: that cluster is the bug and every other crash is taken for another bug.
/// The budget's defaults let a one-in-ten reproducer on thousands of commits finish; easy cases end
/// long before it, so on the benchmark the mean stays below syzbot's ~213 runs.
/// </summary>
public sealed record FlakyOptions(
    double Confidence = 0.95,
    int MaxRuns = 1200,
    int MaxBuilds = 120,
    bool AnyCrash = false,
    int Seed = 0,
    int FirstRuns = 10,
    bool Fix = false,
    string? BugTitle = null)
{
    public static FlakyOptions Default { get; } = new();
}
