using Culprit.Core.Simulation;
using Xunit;

namespace Culprit.Jobs.Tests.Simulation;

/// <summary>
/// The bug's crashes take new titles at a later commit: the bisection reads the old titles on that
/// commit's parent as renamed and searches on below for the commit that brought the crash in.
/// </summary>
public class TitleChangeTests
{
    [Fact]
    public async Task An_unrelated_crash_the_renamed_commits_parent_showed_once_is_not_joined_to_the_bug()
    {
        // Pinned: the parent of the commit that renamed the crash showed the bug's old titles and one unrelated
        // crash (BUG: unable to handle kernel paging request in nilfs_write_iter). Joined to the bug with them,
        // that crash later struck the true culprit's parent once, and verification called the culprit doubtful.
        var (scenario, job) = await PinnedWorld.RunAsync(World.TitleChange, 17, seed: 1);

        PinnedWorld.AssertLogLine(job, "the bug's crashes look renamed at ");
        PinnedWorld.AssertFoundTheCulpritVerified(scenario, job);
    }

    [Fact]
    public async Task A_weak_sign_of_a_rename_at_the_answer_is_settled_by_more_runs_before_the_answer_is_given()
    {
        // Pinned: the parent of the commit that renamed the crash showed the old titles in 3 of 4 runs, and every
        // run after it crashed with the new ones, so no run was left for the old titles to be missed in: the
        // rename reading stayed at 16 % and the title change was named (84 % confidence). Runs on the crashing
        // commit and the parent (built already) make the reading clear, and the search goes on below.
        var (scenario, job) = await PinnedWorld.RunAsync(World.TitleChange, 3, seed: 1);

        PinnedWorld.AssertLogLine(job, "the bug's crashes look renamed at " + PinnedWorld.DecoyOf(scenario));
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
    }

    [Fact]
    public async Task A_title_change_next_to_a_broken_build_is_read_as_a_rename_of_the_group()
    {
        // Pinned: the commit that renamed the crash has a parent whose build is broken, and that parent's parent
        // crashed with the old titles. Only the broken build separated the two candidates, so the job ended
        // inconclusive on them; read at the group's first commit, the rename moves the search below.
        var (scenario, job) = await PinnedWorld.RunAsync(World.TitleChange, 0, seed: 1);

        PinnedWorld.AssertLogLine(job, "the bug's crashes look renamed at ");
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
    }

    [Fact]
    public async Task A_rename_behind_an_untested_merge_is_read_from_the_merges_tested_sides()
    {
        // Pinned (seed 2): the commit that renamed the crash has a merge for its parent, never tested (the posterior
        // held it out: both its sides were tested clean of the bug). With no runs on the parent there was no rename
        // reading, and the title change was named at 99.7 %, although a side of the merge crashed with the old
        // titles in most of its 25 runs and no commit after the rename ever did.
        var (scenario, job) = await PinnedWorld.RunAsync(World.TitleChange, 26, seed: 2);

        Assert.NotEqual(PinnedWorld.DecoyOf(scenario), job.Answer.Culprit);
        PinnedWorld.AssertLogLine(job, "the bug's crashes look renamed at ");
    }

    [Fact]
    public async Task A_revert_that_brings_back_the_old_titles_sends_runs_to_the_parent_and_the_search_below()
    {
        // Pinned: the title change's parent showed none of the old titles in its 10 runs, so no rename was read and the
        // title change was named at 99.6 %. Its revert removed the new title and crashed with an old one in 6 of 15 runs,
        // which none of the bad commit's 12 runs without the bug showed: taken for background (commits held clean showed
        // it), the revert passed and the wrong answer was stated at 99.5 %. A crash the culprit takes away is not
        // background: the parent gets more runs, shows the old titles, and the rename and the search below follow.
        var (scenario, job) = await PinnedWorld.RunAsync(World.TitleChange, 196, seed: 1);

        PinnedWorld.AssertLogLine(job, "the culprit is doubtful: the revert brings back a crash the bad commit never shows (");
        PinnedWorld.AssertLogLine(job, "the bug's crashes look renamed at " + PinnedWorld.DecoyOf(scenario));
        PinnedWorld.AssertFoundTheCulprit(scenario, job);
    }
}
