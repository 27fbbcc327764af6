using Culprit.Core.Domain;
using Culprit.Service.Dispatch;
using Culprit.Service.Grains;
using Candidate = Culprit.Service.Dispatch.NodeChooser.Candidate;

namespace Culprit.Service.Tests;

/// <summary>
/// Which node tests a job worker's next commit: free first, then one that built the commit (its kept
/// image), then the worker's own node, then the nearest recent build, then a warm one, then the freest.
/// </summary>
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

    [Fact]
    public void A_node_that_built_the_commit_wins_over_the_worker_s_own_node()
    {
        Assert.Equal("x", NodeChooser.Pick([new Candidate("own", 2, true, 5), new Candidate("x", 1, true, 0)], preferred: "own"));
    }

    [Fact]
    public void A_node_that_built_the_commit_but_is_busy_gives_way_to_a_free_one()
    {
        Assert.Equal("own", NodeChooser.Pick([new Candidate("own", 1, true, 5), new Candidate("x", 0, true, 0)], preferred: "own"));
    }

    [Fact]
    public void Among_other_nodes_the_nearest_recent_build_wins_over_farther_warm_and_freer_ones()
    {
        Candidate[] nodes = [new("far", 3, true, 40), new("near", 1, true, 3), new("warm", 4, true), new("cold", 5, false)];
        Assert.Equal("near", NodeChooser.Pick(nodes, preferred: null));
        // The worker's own tree still comes first: its output holds its last build.
        Assert.Equal("far", NodeChooser.Pick(nodes, preferred: "far"));
    }

    [Fact]
    public void Distance_is_to_the_nearest_build_of_the_same_repository_in_the_job_s_range()
    {
        var range = new JobRange { Graph = CommitGraph.FromRevList([$"{C(9)} {C(8)}", $"{C(8)} {C(7)}", $"{C(7)} {C(6)}", $"{C(6)} {C(5)}", $"{C(5)} {C(4)}", $"{C(4)} {C(3)}"]) };
        RecentBuild[] builds = [new("/repo", C(4), "s4"), new("/other", C(8), "s8"), new("/repo", C(7), "s7"), new("/repo", C(1), "so")];

        Assert.Equal(2, NodeChooser.DistanceOf(builds, "/repo", C(9), null, other => range.Distance(C(9), other)));
        Assert.Equal(0, NodeChooser.DistanceOf(builds, "/repo", C(7), null, other => range.Distance(C(7), other)));
        // A build of the same signature is the same kernel: its kept image serves.
        Assert.Equal(0, NodeChooser.DistanceOf(builds, "/repo", C(9), "s4", other => range.Distance(C(9), other)));
        // Before the range is listed, only the commit itself counts.
        Assert.Null(NodeChooser.DistanceOf(builds, "/repo", C(9), null, other => new JobRange().Distance(C(9), other)));
        Assert.Null(NodeChooser.DistanceOf(builds, "/none", C(9), null, other => range.Distance(C(9), other)));
        Assert.Null(NodeChooser.DistanceOf(null, "/repo", C(9), null, null));
    }

    private static string C(int n) => n.ToString("x40");

    [Fact]
    public void A_node_reports_its_last_builds_once_each_newest_last_and_at_most_the_kept_number()
    {
        using var temp = new TempDir("culprit-recent");
        var testers = new Nodes.NodeTesters(new ServiceOptions { WorkDir = temp.Path, Testers = (_, _) => (_, _, _, _) => throw new NotSupportedException() },
            new Nodes.JobStores(temp.Sub("culprit.db")), new Submissions.RepositoryCache(temp.Sub("repos")));
        testers.Built("/repo", "a", "sa");
        testers.Built("/repo", "b", null);
        testers.Built("/repo", "a", "sa");
        Assert.Equal([new RecentBuild("/repo", "b", null), new RecentBuild("/repo", "a", "sa")], testers.RecentBuilds);
        for (var i = 0; i < Nodes.NodeTesters.RecentBuildsKept + 5; i++)
        {
            testers.Built("/repo", $"c{i}", null);
        }
        Assert.Equal(Nodes.NodeTesters.RecentBuildsKept, testers.RecentBuilds.Count);
        Assert.Equal($"c{Nodes.NodeTesters.RecentBuildsKept + 4}", testers.RecentBuilds[^1].Commit);
        Assert.Equal(["/repo"], testers.Repositories);
    }
}
