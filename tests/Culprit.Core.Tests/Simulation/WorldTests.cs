using System.Text.Json;
using Culprit.Core.Domain;
using Culprit.Core.Simulation;
using Culprit.Core.Simulation.Policies;
using Xunit;

namespace Culprit.Core.Tests.Simulation;

public class WorldTests
{
    private static readonly ScenarioKnobs Quiet = new(Commits: 400, ReproChance: 1.0, UnrelatedRate: 0, BrokenRate: 0, InfraRate: 0);

    [Fact]
    public void A_reintroduced_bug_has_the_reintroduction_as_its_culprit_and_is_absent_between_fix_and_reintroduction()
    {
        var scenario = ScenarioWorlds.Generate(3, 7, World.Reintroduced, Quiet);
        var facts = scenario.Facts;
        var first = facts.Decoy!.Value;
        var fix = facts.ChangedAt!.Value;

        Assert.Equal(World.Reintroduced, scenario.World);
        Assert.True(scenario.HasBug(first));
        Assert.False(scenario.HasBug(fix));
        Assert.True(facts.ChangedSet![scenario.Culprit] && scenario.Culprit != fix);
        Assert.True(scenario.HasBug(scenario.Culprit) && scenario.HasBug(0));
    }

    [Fact]
    public void A_title_change_gives_the_commits_after_it_other_titles_only()
    {
        var scenario = ScenarioWorlds.Generate(3, 7, World.TitleChange, Quiet);
        var later = scenario.Facts.ChangedAt!.Value;

        var oldTitles = scenario.Manifestations.Select(m => m.Title).ToHashSet();
        Assert.Equal(scenario.Manifestations, scenario.ManifestationsAt(scenario.Culprit));
        Assert.DoesNotContain(scenario.ManifestationsAt(later), m => oldTitles.Contains(m.Title));
        Assert.DoesNotContain(scenario.ManifestationsAt(0), m => oldTitles.Contains(m.Title));
    }

    [Fact]
    public void A_second_bug_crashes_with_its_own_title_and_less_often_than_the_bug()
    {
        var scenario = ScenarioWorlds.Generate(3, 7, World.SecondBug, Quiet);

        Assert.True(scenario.HasSecondBug(0));
        Assert.NotEqual(scenario.Culprit, scenario.Facts.Decoy);
        Assert.DoesNotContain(scenario.Manifestations, m => m.Title == scenario.Facts.SecondBug!.Title);
        Assert.InRange(scenario.Facts.SecondReproChance, 0.2 * scenario.ReproChance, 0.6 * scenario.ReproChance);
    }

    [Fact]
    public void The_base_scenario_is_the_same_in_every_world()
    {
        var model = ScenarioGenerator.Generate(5, 9);
        foreach (var world in WorldNames.All)
        {
            var scenario = ScenarioWorlds.Generate(5, 9, world);
            Assert.Equal(model.Graph.Commits, scenario.Graph.Commits);
            Assert.Equal(model.ReproChance, scenario.ReproChance);
        }
    }

    [Fact]
    public void A_wrong_answer_is_confident_wrong_when_stated_at_95_percent_or_without_a_confidence()
    {
        BisectionResult Found(double? confidence) => new(ResultKind.Found, "x", ["x"], confidence);

        Assert.True(new PolicyRun("p", Found(0.96), false, 1, 1).ConfidentWrong);
        Assert.True(new PolicyRun("p", Found(null), false, 1, 1).ConfidentWrong);
        Assert.False(new PolicyRun("p", Found(0.9), false, 1, 1).ConfidentWrong);
        Assert.False(new PolicyRun("p", Found(0.99), true, 1, 1).ConfidentWrong);
    }
}
