using Culprit.Kernel.Maintainers;
using Culprit.Kernel.Tests.Support;

namespace Culprit.Kernel.Tests;

/// <summary>The cc list on the real test kernel tree (Linux 6.1's MAINTAINERS and get_maintainer.pl).</summary>
public sealed class TestTreeMaintainersTests
{
    [KernelSourceFact]
    public async Task The_culprit_is_cc_to_its_author_its_committer_and_the_list_for_kernel_sys()
    {
        var tree = await TestKernelTree.GetAsync();

        var cc = await new MaintainersLookup(tree.Repository).FindAsync(tree.Culprit);

        Assert.Equal("scripts/get_maintainer.pl", cc.Source);
        Assert.Equal("cc: [\"dana@culprit.example.org\" \"keeper@culprit.example.org\" \"linux-kernel@vger.kernel.org\"]", cc.Format());
    }

    [KernelSourceFact]
    public async Task A_network_driver_change_goes_to_the_driver_and_networking_maintainers()
    {
        var tree = await TestKernelTree.GetAsync();
        var e1000 = await tree.GitAsync("log", "--format=%H", "-1", "v6.1..culprit-test-head", "--", "drivers/net/ethernet/intel/e1000");

        var cc = await new MaintainersLookup(tree.Repository).FindAsync(e1000);

        Assert.Contains("intel-wired-lan@lists.osuosl.org", cc.Addresses);
        Assert.Contains("netdev@vger.kernel.org", cc.Addresses);
        Assert.Contains("davem@davemloft.net", cc.Addresses);
        Assert.Contains("ben@culprit.example.org", cc.Addresses);
    }

    [KernelSourceFact]
    public async Task Parsing_MAINTAINERS_gives_what_get_maintainer_gives_for_every_commit_of_the_test_tree()
    {
        var tree = await TestKernelTree.GetAsync();
        var commits = (await tree.GitAsync("rev-list", "v6.1..culprit-test-head")).Split('\n');
        var script = new MaintainersLookup(tree.Repository);
        var parser = new MaintainersLookup(tree.Repository) { UseTreeScript = false };

        foreach (var commit in commits)
        {
            var expected = await script.FindAsync(commit);
            var actual = await parser.FindAsync(commit);
            Assert.Equal("MAINTAINERS", actual.Source);
            Assert.True(expected.Addresses.SequenceEqual(actual.Addresses), $"{commit}: get_maintainer.pl {expected.Format()} but parsing {actual.Format()}");
        }
    }
}
