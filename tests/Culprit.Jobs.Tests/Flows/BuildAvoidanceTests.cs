using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests.Flows;

/// <summary>
/// Build avoidance through a whole job: a commit that cannot change the build (its diff from a built
/// commit, and its parent's, touch none of that build's inputs) is not built or run, takes that
/// commit's outcome, and is never named the culprit.
/// </summary>
public sealed class BuildAvoidanceTests
{
    // Commits 1..4 and 10 change the code; the others only the documentation. The bug comes with 10.
    private static string FileOf(int n) => n is <= 4 or 10 ? "src/code.c" : "Documentation/notes.rst";

    private static readonly IReadOnlyList<string> CodeInputs = ["src/code.c", "src/Makefile"];

    // The same history where the other commits change a Makefile the build did not read: a change to a
    // shaping file keeps them candidates (SameBuildCommits builds when in doubt; see SameBuildCommitsTests),
    // so it is the avoidance before building that spares them here.
    private static string ShapingFileOf(int n) => n is <= 4 or 10 ? "src/code.c" : "Documentation/Makefile";

    private static RunOutcome Run(int n, int _) => n >= 10 ? RunOutcome.Crash("BUG: bad thing") : RunOutcome.Ok();

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task Documentation_commits_are_not_built_and_the_culprit_is_the_code_change(string strategy)
    {
        using var world = await ScriptedWorld.CreateAsync(20, Run, fileOf: ShapingFileOf);
        world.Inputs = _ => CodeInputs;
        var (result, log) = await world.BisectAsync(new JobSpec
        {
            Repo = "", Bad = world.Hashes[19], Good = world.Hashes[0], Strategy = strategy, Runs = 2, Verify = false,
        });

        Assert.Equal(world.Hashes[10], result.Culprit?.Commit);
        Assert.Contains(10, world.BuildsDone);
        var avoided = result.Tested.Where(t => t.ReusedFrom is not null && t.Signature is not null && world.BuildsDone.Contains(world.NumberOf(t.Commit)) == false).ToList();
        Assert.NotEmpty(avoided);
        Assert.All(avoided, t => Assert.Equal("Documentation/Makefile", ShapingFileOf(world.NumberOf(t.Commit))));
        Assert.Equal(avoided.Count, result.Stats.BuildsAvoided);
        Assert.Equal(world.BuildsDone.Count, result.Stats.Builds);
        Assert.Equal(result.Tested.Count, world.BuildsDone.Count + avoided.Count);
        var first = avoided[0];
        Assert.Contains($"commit {first.Commit} cannot change the build (touches only Documentation/Makefile): same as {first.ReusedFrom}", log);
        // An avoided commit runs nothing: every run was made on a built commit.
        Assert.All(world.RunsDone, n => Assert.Contains(n, world.BuildsDone));
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("flaky")]
    public async Task With_no_build_avoidance_every_tested_commit_is_built_as_syzbot_does(string strategy)
    {
        // The world of the first test, where documentation commits go unbuilt; --no-build-avoidance builds them.
        using var world = await ScriptedWorld.CreateAsync(20, Run, fileOf: FileOf);
        world.Inputs = _ => CodeInputs;
        var (result, log) = await world.BisectAsync(new JobSpec
        {
            Repo = "", Bad = world.Hashes[19], Good = world.Hashes[0], Strategy = strategy, Runs = 2, Verify = false, NoBuildAvoidance = true,
        });

        Assert.Equal(world.Hashes[10], result.Culprit?.Commit);
        Assert.Equal(0, result.Stats.BuildsAvoided);
        Assert.DoesNotContain(result.Tested, t => t.BuildAvoided);
        Assert.All(result.Tested, t => Assert.Contains(world.NumberOf(t.Commit), world.BuildsDone));
        Assert.Contains(result.Tested, t => FileOf(world.NumberOf(t.Commit)) == "Documentation/notes.rst");
        Assert.DoesNotContain(log, l => l.Contains("cannot change", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_commit_whose_own_change_touches_an_input_is_built_even_when_a_later_build_matches_it()
    {
        // 10 and everything after it build the same thing as 19, but 10's own change is the code: it must be built (and is the culprit).
        using var world = await ScriptedWorld.CreateAsync(20, Run, fileOf: FileOf);
        world.Inputs = _ => CodeInputs;
        var (result, _) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[19], Good = world.Hashes[0], Strategy = "classic", Runs = 1 });

        Assert.Equal(world.Hashes[10], result.Culprit?.Commit);
        Assert.DoesNotContain(result.Tested, t => t.Commit == world.Hashes[10] && t.ReusedFrom is not null);
        Assert.True(result.Verification?.ParentOk);
    }

    [Fact]
    public async Task An_outcome_that_showed_nothing_is_not_handed_on()
    {
        // The documentation commits 5..9 fail to boot when built (as a loaded TCG host may make any
        // boot fail): what such a test showed is nothing, so no commit takes it unbuilt.
        using var world = await ScriptedWorld.CreateAsync(20, (n, i) => n is >= 5 and <= 9
            ? RunOutcome.Infra("boot failed: kernel panic: IO-APIC + timer doesn't work!") with { CommitFault = true }
            : Run(n, i), fileOf: ShapingFileOf);
        world.Inputs = _ => CodeInputs;
        var (result, _) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[19], Good = world.Hashes[0], Strategy = "classic", Runs = 1, Verify = false });

        var bootFailed = result.Tested.Where(t => t.ReusedFrom is null && t.Runs.All(r => r.Result == "infra-error")).Select(t => t.Commit).ToHashSet();
        Assert.NotEmpty(bootFailed);
        Assert.DoesNotContain(result.Tested, t => t.BuildAvoided && bootFailed.Contains(t.ReusedFrom!));
    }

    [Fact]
    public async Task Without_recorded_inputs_every_commit_is_built()
    {
        using var world = await ScriptedWorld.CreateAsync(20, Run, fileOf: FileOf);
        var (result, log) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[19], Good = world.Hashes[0], Strategy = "classic", Runs = 1, Verify = false });

        Assert.Equal(world.Hashes[10], result.Culprit?.Commit);
        Assert.Equal(result.Tested.Count, world.BuildsDone.Count);
        Assert.DoesNotContain(log, l => l.Contains("cannot change", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_added_beside_an_input_is_a_doubt_and_the_commit_is_built()
    {
        // Every commit after 10 adds a new file in src/ (where the inputs are): a build might pick it up.
        using var world = await ScriptedWorld.CreateAsync(20, Run, fileOf: n => n > 10 ? $"src/new{n}.c" : FileOf(n));
        world.Inputs = _ => CodeInputs;
        var (result, _) = await world.BisectAsync(new JobSpec { Repo = "", Bad = world.Hashes[19], Good = world.Hashes[0], Strategy = "classic", Runs = 1, Verify = false });

        Assert.Equal(world.Hashes[10], result.Culprit?.Commit);
        Assert.DoesNotContain(result.Tested, t => world.NumberOf(t.Commit) > 10 && t.ReusedFrom is not null);
    }
}
