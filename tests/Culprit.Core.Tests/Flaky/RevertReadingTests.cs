using Culprit.Core.Domain;
using Culprit.Core.Flaky;

namespace Culprit.Core.Tests.Flaky;

/// <summary>
/// The culprit's revert on top of the bad commit, read against the bad commit's crashes: the bug is
/// the crash the bad commit shows most, so a revert that removes it and keeps a rarer crash confirms
/// the culprit, and one that keeps the more frequent crash does not, whichever of them the strategy
/// took for the bug.
/// </summary>
public class RevertReadingTests
{
    private const string Bug = "KASAN: use-after-free Read in target";
    private const string Other = "WARNING in other_thing";
    private const string Third = "INFO: task hung in third_thing";
    private const string Noise = "BUG: soft lockup in noise";

    private static List<RunOutcome> Runs(int ok, params (string Title, int Count)[] crashes) =>
        [.. crashes.SelectMany(c => Enumerable.Repeat(RunOutcome.Crash(c.Title, "report"), c.Count)), .. Enumerable.Repeat(RunOutcome.Ok(), ok)];

    [Fact]
    public void A_revert_that_removes_the_most_frequent_crash_and_keeps_a_rarer_one_confirms_the_culprit()
    {
        // Both were taken for the bug: the rarer one showed only on commits that have both.
        var reading = RevertReading.Read(Runs(6, (Bug, 3), (Other, 1)), Runs(14, (Other, 2)), [Bug, Other]);

        Assert.False(reading.CrashStays);
        Assert.InRange(reading.Doubt, 0.01, 0.4);
        Assert.Equal(Other, reading.KeptTitle);
        Assert.NotNull(reading.RemovedMissChance);
        Assert.True(reading.RemovedMissChance < 0.05, $"{reading.RemovedMissChance}");
    }

    [Fact]
    public void A_kept_crash_the_strategy_took_for_the_bug_is_marked_as_such_and_another_is_not()
    {
        // The bad commit's bug shows its rarer title on the revert's few runs: a doubt too small to ask for
        // more runs on its own, but the kept crash is one the strategy holds to be the bug's.
        var bad = Runs(1, (Bug, 6), (Other, 1));
        var kept = RevertReading.Read(bad, Runs(2, (Other, 1)), [Bug, Other]);
        var background = RevertReading.Read(bad, Runs(2, (Other, 1)), [Bug]);

        Assert.False(kept.CrashStays);
        Assert.True(kept.Doubt < 0.01, $"{kept.Doubt}");
        Assert.True(kept.KeptBugCrash);
        Assert.Equal(Other, background.KeptTitle);
        Assert.False(background.KeptBugCrash);
    }

    [Fact]
    public void A_revert_that_keeps_the_bug_crash_leaves_the_crash()
    {
        var reading = RevertReading.Read(Runs(6, (Bug, 3), (Other, 1)), Runs(14, (Bug, 2)), [Bug, Other]);

        Assert.True(reading.CrashStays);
    }

    [Fact]
    public void A_revert_that_keeps_crashes_taken_for_background_more_frequent_than_the_removed_one_leaves_the_crash()
    {
        // The strategy took the third crash (with another title of the same bug) for background; the revert shows them half the time.
        var reading = RevertReading.Read(Runs(4, (Bug, 3), (Other, 2), (Third, 1)), Runs(7, (Other, 2), (Third, 5)), [Bug]);

        Assert.True(reading.CrashStays);
        Assert.True(reading.Doubt > 0.5, $"{reading.Doubt}");
    }

    [Fact]
    public void A_crash_the_bad_commit_never_showed_and_not_the_bug_says_nothing()
    {
        var reading = RevertReading.Read(Runs(7, (Bug, 3)), Runs(18, (Noise, 2)), [Bug]);

        Assert.False(reading.CrashStays);
        Assert.Equal(0, reading.Doubt);
        Assert.Null(reading.KeptTitle);
    }

    [Fact]
    public void Infra_errors_count_as_no_run()
    {
        var infra = Enumerable.Repeat(RunOutcome.Infra("lost connection to test machine"), 30).ToList();
        var clean = RevertReading.Read(Runs(6, (Bug, 3), (Other, 1)), [.. Runs(14, (Other, 2)), .. infra], [Bug, Other]);

        Assert.Equal(16, clean.RevertRuns);
    }
    [Fact]
    public void A_crash_the_commits_without_the_bug_show_says_nothing()
    {
        // The range's unrelated crash: the bad commit showed it more often than the bug, the good commits too.
        var reading = RevertReading.Read(Runs(15, (Bug, 2), (Noise, 3)), Runs(18, (Noise, 2)), [Bug], Runs(40, (Noise, 5)));

        Assert.False(reading.CrashStays);
        Assert.Equal(0, reading.Doubt);
    }

    [Fact]
    public void A_crash_the_revert_shows_and_the_bad_commit_never_does_in_many_runs_is_one_the_culprit_takes_away()
    {
        // The bad commit: 8 runs with the bug, 12 without any crash; the revert: the bug gone, another crash in 6 of 15
        // runs. One rate for both would have shown it in some of the bad commit's 12 free runs.
        var bad = Runs(12, (Bug, 8));
        var reading = RevertReading.Read(bad, Runs(9, (Other, 6)), [Bug], cleanRuns: Runs(3, (Other, 2)));

        Assert.False(reading.CrashStays);
        Assert.NotNull(reading.BroughtBack);
        Assert.Equal(Other, reading.BroughtBack.Title);
        Assert.Equal(6, reading.BroughtBack.RevertCrashes);
        Assert.Equal(12, reading.BroughtBack.BadRuns);
        Assert.True(reading.BroughtBack.Chance < RevertReading.TakenAwayChance, $"{reading.BroughtBack.Chance}");
    }

    [Fact]
    public void A_rare_crash_the_revert_shows_a_few_times_is_not_one_the_culprit_takes_away()
    {
        // Background at a few percent: twice in 15 runs of the revert and never in the bad commit's 12 free runs is chance.
        Assert.Null(RevertReading.Read(Runs(12, (Bug, 8)), Runs(13, (Noise, 2)), [Bug]).BroughtBack);
        // A crash the bad commit showed too is not taken away, however often the revert shows it.
        Assert.Null(RevertReading.Read(Runs(11, (Bug, 8), (Other, 1)), Runs(9, (Other, 6)), [Bug]).BroughtBack);
        // Nor one rarer, without the culprit's change, than half the bug's rate with it: 4 in 115 runs against 38 in 80.
        Assert.Null(RevertReading.Read(Runs(12, (Bug, 8)), Runs(13, (Noise, 2)), [Bug], cleanRuns: Runs(98, (Noise, 2)),
            withBugRuns: Runs(30, (Bug, 30))).BroughtBack);
        // Nor a crash of the bug's own titles.
        Assert.Null(RevertReading.Read(Runs(12, (Bug, 8)), Runs(9, (Other, 6)), [Bug, Other]).BroughtBack);
    }
}
