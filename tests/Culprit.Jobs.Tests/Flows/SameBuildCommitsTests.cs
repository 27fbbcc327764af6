using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>
/// Commits that cannot change the build are taken out of the candidates before the strategy
/// chooses (SameBuildCommits → IBisectionStrategy.BuildsSameAsParent): never tested, never named the
/// culprit, and the bisection spends its builds on the commits that can change the build.
/// </summary>
public sealed class SameBuildCommitsTests
{
    // Commits 1..4 and 10 change the code; the others only the documentation. The bug comes with 10.
    private static string FileOf(int n) => n is <= 4 or 10 ? "src/code.c" : "Documentation/notes.rst";

    private static readonly IReadOnlyList<string> CodeInputs = ["src/code.c", "src/Makefile"];

    private static RunOutcome Run(int n, int _) => n >= 10 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok();

    private static JobSpec Spec(ScriptedWorld world, string strategy, bool noAvoidance = false) => new()
    {
        Repo = "", Bad = world.Hashes[19], Good = world.Hashes[0], Strategy = strategy, Runs = 2, Verify = false, NoBuildAvoidance = noAvoidance,
    };

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task Commits_touching_no_input_are_not_candidates_so_fewer_builds_find_the_same_culprit(string strategy)
    {
        using var every = await ScriptedWorld.CreateAsync(20, Run, fileOf: FileOf);
        every.Inputs = _ => CodeInputs;
        var (all, _) = await every.BisectAsync(Spec(every, strategy, noAvoidance: true));

        using var world = await ScriptedWorld.CreateAsync(20, Run, fileOf: FileOf);
        world.Inputs = _ => CodeInputs;
        var (result, log) = await world.BisectAsync(Spec(world, strategy));

        Assert.Equal(world.Hashes[10], all.Culprit?.Commit);
        Assert.Equal(world.Hashes[10], result.Culprit?.Commit);
        // The bad commit's build already says all 14 documentation commits build what their parent builds.
        Assert.Equal(14, result.Stats.CandidatesDropped);
        Assert.Contains("14 commits cannot change the build (touch only files the build did not read): not candidates", log);
        Assert.Contains($"commit {world.Hashes[12]} cannot change the build (touches only Documentation/notes.rst): same as its parent", log);
        // None is tested, not even unbuilt: only the bad commit and code commits are.
        Assert.All(result.Tested, t => Assert.True(t.Commit == world.Hashes[19] || FileOf(world.NumberOf(t.Commit)) == "src/code.c", t.Commit));
        Assert.True(result.Stats.Builds < all.Stats.Builds, $"{result.Stats.Builds} builds with the drops, {all.Stats.Builds} without");
        Assert.Equal(0, all.Stats.CandidatesDropped);
    }

    [Fact]
    public async Task A_shaping_change_in_between_keeps_the_commits_past_it_candidates()
    {
        // 15 changes the Makefile the build read: what 19's build read says nothing about 11..14
        // (their parents' builds may read other files), only about 16..19.
        using var world = await ScriptedWorld.CreateAsync(20, Run, fileOf: n => n == 15 ? "src/Makefile" : FileOf(n));
        world.Inputs = _ => CodeInputs;
        var (result, log) = await world.BisectAsync(Spec(world, "classic"));

        Assert.Equal(world.Hashes[10], result.Culprit?.Commit);
        var first = log.TakeWhile(l => !l.StartsWith("Bisecting:", StringComparison.Ordinal)).ToList();
        Assert.Contains("4 commits cannot change the build (touch only files the build did not read): not candidates", first);
        foreach (var n in new[] { 16, 17, 18, 19 })
        {
            Assert.Contains(first, l => l.StartsWith($"commit {world.Hashes[n]} cannot change", StringComparison.Ordinal));
        }
        foreach (var n in new[] { 11, 12, 13, 14 })
        {
            Assert.DoesNotContain(first, l => l.StartsWith($"commit {world.Hashes[n]} cannot change", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task A_commit_that_builds_what_its_parent_builds_is_never_named_the_culprit(string strategy)
    {
        // The scripted runs crash from 12 on, a commit that touches nothing the build reads: whatever
        // the runs say, 12 builds 11's kernel, so it cannot be the first commit with the bug.
        using var world = await ScriptedWorld.CreateAsync(20, (n, _) => n >= 12 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok(), fileOf: FileOf);
        world.Inputs = _ => CodeInputs;
        var (result, _) = await world.BisectAsync(Spec(world, strategy));

        Assert.True(result.Stats.CandidatesDropped > 0);
        Assert.NotEqual(world.Hashes[12], result.Culprit?.Commit);
        Assert.DoesNotContain(result.Tested, t => FileOf(world.NumberOf(t.Commit)) != "src/code.c" && t.Commit != world.Hashes[19]);
    }

    [Fact]
    public async Task A_resumed_job_drops_the_same_commits_and_asks_for_the_same_tests()
    {
        using var world = await ScriptedWorld.CreateAsync(20, Run, fileOf: FileOf);
        world.Inputs = _ => CodeInputs;
        var id = await world.CreateAsync(Spec(world, "flaky"));
        var (first, _) = await world.RunAsync(id);
        var builds = world.BuildsDone.Count;
        // Run again, the finished job replays its stored outcomes (the stored-step fast path) and builds nothing.
        var (again, _) = await world.RunAsync(id);

        Assert.Equal(builds, world.BuildsDone.Count);

        Assert.Equal(first.Culprit?.Commit, again.Culprit?.Commit);
        Assert.Equal(first.Stats.CandidatesDropped, again.Stats.CandidatesDropped);
        Assert.Equal(first.Tested.Select(t => t.Commit), again.Tested.Select(t => t.Commit));
    }
}
