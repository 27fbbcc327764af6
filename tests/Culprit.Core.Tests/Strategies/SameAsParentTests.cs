using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;
using static Culprit.Core.Tests.Flaky.FlakyTestWorld;

namespace Culprit.Core.Tests.Strategies;

/// <summary>
/// IBisectionStrategy.BuildsSameAsParent: commits known to build what their first parent builds are
/// no candidates for either strategy: never tested, never named, and the rest is bisected as before.
/// </summary>
public sealed class SameAsParentTests
{
    // Linear(n) of FlakyTestWorld: c0 is the bad commit, c{n-1} the oldest; c{i}'s parent is c{i+1}.
    // Only every fifth commit can change the build; the others build their parent's kernel.
    private static bool Same(int i) => i % 5 != 0;

    private static List<string> SameCommits(CommitGraph graph) => [.. Enumerable.Range(0, graph.Count).Where(Same).Select(i => graph.Commits[i])];

    private static CommitOutcome Outcome(string commit, bool bad) => new(commit, true, [bad ? RunOutcome.Crash("BUG: x") : RunOutcome.Ok()]);

    private static (BisectionResult Result, List<string> Tested) Classic(CommitGraph graph, Func<int, bool> crashes, IEnumerable<string> same)
    {
        var strategy = new ClassicStrategy(graph, AnyCrashPolicy.Instance, runs: 1);
        strategy.Record(Outcome(graph.Commits[0], true));
        strategy.BuildsSameAsParent(same);
        var tested = new List<string>();
        while (true)
        {
            switch (strategy.Next())
            {
                case Finished f:
                    return (f.Result, tested);
                case TestCommit t:
                    tested.Add(t.Commit);
                    strategy.Record(Outcome(t.Commit, crashes(graph.IndexOf(t.Commit))));
                    break;
            }
        }
    }

    [Theory]
    [InlineData(40)]
    [InlineData(5)]
    [InlineData(195)]
    public void Classic_tests_only_commits_that_can_change_the_build_and_finds_the_culprit(int culprit)
    {
        var graph = Linear(200);
        var (result, tested) = Classic(graph, i => i <= culprit, SameCommits(graph));

        Assert.Equal(graph.Commits[culprit], result.Culprit);
        Assert.DoesNotContain(tested, c => Same(graph.IndexOf(c)));
        // 40 candidates are left (c0 stands for c5, the commit whose kernel it builds): about log2(40) tests.
        Assert.InRange(tested.Count, 1, 7);
    }

    [Fact]
    public void Classic_never_names_a_commit_that_builds_its_parents_kernel()
    {
        // The runs say the crash starts at c42, which builds c43's kernel: the answer is the first commit
        // that can change the build and crashed, c40, never c42.
        var graph = Linear(200);
        var (result, tested) = Classic(graph, i => i <= 42, SameCommits(graph));

        Assert.Equal(graph.Commits[40], result.Culprit);
        Assert.DoesNotContain(tested, c => Same(graph.IndexOf(c)));
    }

    [Fact]
    public void Classic_told_nothing_takes_gits_path()
    {
        var graph = Linear(200);
        var (told, toldTests) = Classic(graph, i => i <= 77, []);
        var strategy = new ClassicStrategy(graph, AnyCrashPolicy.Instance, runs: 1);
        strategy.Record(Outcome(graph.Commits[0], true));
        var plain = new List<string>();
        while (strategy.Next() is TestCommit t)
        {
            plain.Add(t.Commit);
            strategy.Record(Outcome(t.Commit, graph.IndexOf(t.Commit) <= 77));
        }

        Assert.Equal(plain, toldTests);
        Assert.Equal(graph.Commits[77], told.Culprit);
    }

    [Fact]
    public void Flaky_gives_such_commits_no_mass_never_tests_them_and_finds_the_culprit()
    {
        var graph = Linear(200);
        var strategy = new FlakyStrategy(graph);
        strategy.BuildsSameAsParent(SameCommits(graph));
        var (result, outcomes) = Drive(strategy, graph, culprit: 135, reproChance: 0.5, seed: 3);

        Assert.Equal(ResultKind.Found, result.Kind);
        Assert.Equal(graph.Commits[135], result.Culprit);
        Assert.DoesNotContain(outcomes.Skip(1), o => Same(graph.IndexOf(o.Commit)));
        Assert.All(SameCommits(graph), c => Assert.Equal(0, strategy.ProbabilityOf(c)));
    }

    [Fact]
    public void Flaky_never_names_a_commit_that_builds_its_parents_kernel()
    {
        var graph = Linear(200);
        var strategy = new FlakyStrategy(graph);
        strategy.BuildsSameAsParent(SameCommits(graph));
        // Runs crash from c137 on, which builds c138's kernel.
        var (result, _) = Drive(strategy, graph, culprit: 137);

        Assert.NotEqual(graph.Commits[137], result.Culprit);
        Assert.True(result.Culprit is null || !Same(graph.IndexOf(result.Culprit)), result.Culprit);
    }
}
