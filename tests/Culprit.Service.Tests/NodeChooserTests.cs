using Culprit.Service.Dispatch;
using Candidate = Culprit.Service.Dispatch.NodeChooser.Candidate;

namespace Culprit.Service.Tests;

/// <summary>Which node tests a job worker's next commit: free first, then the worker's own node, then a warm one, then the freest.</summary>
public sealed class NodeChooserTests
{
    [Fact]
    public void The_worker_s_own_node_wins_while_it_has_a_free_slot()
    {
        Assert.Equal("b", NodeChooser.Pick([new Candidate("a", 3, true), new Candidate("b", 1, false)], preferred: "b"));
    }

    [Fact]
    public void A_node_that_built_the_repository_wins_over_a_freer_cold_one()
    {
        Assert.Equal("b", NodeChooser.Pick([new Candidate("a", 3, false), new Candidate("b", 1, true)], preferred: null));
    }

    [Fact]
    public void A_busy_own_node_gives_way_to_a_free_node_such_as_one_that_just_joined()
    {
        Assert.Equal("late", NodeChooser.Pick([new Candidate("own", 0, true), new Candidate("late", 1, false)], preferred: "own"));
    }

    [Fact]
    public void When_every_node_is_busy_the_step_queues_on_the_worker_s_own_node_else_the_least_loaded()
    {
        Candidate[] busy = [new("a", -2, true), new("b", 0, false), new("c", -1, false)];
        Assert.Equal("c", NodeChooser.Pick(busy, preferred: "c"));
        Assert.Equal("b", NodeChooser.Pick(busy, preferred: null));
    }
}
