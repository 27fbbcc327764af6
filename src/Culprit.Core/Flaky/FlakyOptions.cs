namespace Culprit.Core.Flaky;

/// <summary>
/// Settings of the flake-aware strategy. <paramref name="Confidence"/> is the probability one answer
/// must reach before the bisection stops; <paramref name="MaxRuns"/> and <paramref name="MaxBuilds"/>
/// bound the work (the bad commit's runs and build included; no <paramref name="MaxRuns"/>: the
/// default <see cref="RunBudget"/>); <paramref name="AnyCrash"/> counts a
/// crash of any title as the bug, like syzbot; <paramref name="Seed"/> only changes which commits are
/// sampled when the range is too large to score every one; <paramref name="FirstRuns"/> is the number
/// of runs the bad commit gets first (doubled on each retry while the crash has not shown);
/// <paramref name="Fix"/> looks for the commit that fixed the crash instead of the one that caused it;
/// <paramref name="BugTitle"/> names the bug's crash (any title of its cluster), as a syzbot report
/// does: that cluster is the bug and every other crash is taken for another bug; <paramref name="Workers"/>
/// is how many commits the job tests at once (what its default run budget allows for).
/// The budget's defaults let a one-in-ten reproducer on thousands of commits finish; easy cases end
/// long before it, so on the benchmark the mean stays below syzbot's ~213 runs.
/// </summary>
public sealed record FlakyOptions(
    double Confidence = 0.95,
    int? MaxRuns = null,
    int MaxBuilds = 120,
    bool AnyCrash = false,
    int Seed = 0,
    int FirstRuns = 10,
    bool Fix = false,
    string? BugTitle = null,
    int Workers = 1)
{
    public static FlakyOptions Default { get; } = new();

    /// <summary>The default run budget of a job that tests one commit at a time.</summary>
    public const int OneWorkerRunBudget = 1200;

    /// <summary>
    /// The runs the job may spend: <see cref="MaxRuns"/> when given, else <see cref="OneWorkerRunBudget"/> and half
    /// as much again for each further worker. A parallel round buys fewer rounds with more runs (its other tests
    /// split lighter parts of the candidates), so one worker's budget would end a parallel job with a rare crash
    /// before it learns what one worker would: `culprit simulate --workers 3` (seed 1) then named the culprit in 41 of
    /// the 51 jobs with a repro chance of 0.05-0.10, against one worker's 47 (accuracy 0.989 against 0.996, most of
    /// the rest spent budgets); with this budget 49 (0.998), and 0.996 with 2 workers.
    /// </summary>
    public int RunBudget => MaxRuns ?? OneWorkerRunBudget * (Math.Max(Workers, 1) + 1) / 2;
}
