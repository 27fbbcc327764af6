using Culprit.Cli.Demo;
using Culprit.Jobs;
using Culprit.Service.Submissions;

namespace Culprit.Service.Tests;

/// <summary>A job keeps the URL it was submitted with, so any node its job or commits move to fetches the repository into its own cache.</summary>
public sealed class RepositoryCacheTests
{
    [Fact]
    public async Task Another_node_fetches_a_job_s_url_into_its_own_cache_instead_of_using_the_first_node_s_clone()
    {
        using var temp = new TempDir("culprit-repo-cache");
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false);
        var firstNode = new RepositoryCache(temp.Sub("node0/repos"));
        var url = $"file://{demo.Path}";
        var spec = new JobSpec { Repo = await firstNode.FetchAsync(url, CancellationToken.None), Origin = url, Bad = demo.Head };
        Directory.Delete(temp.Sub("node0"), recursive: true);

        var path = await new RepositoryCache(temp.Sub("node1/repos")).PathOfAsync(spec, CancellationToken.None);

        Assert.StartsWith(temp.Sub("node1/repos"), path);
        var repo = await Git.GitRepository.OpenAsync(path, CancellationToken.None);
        Assert.Equal(demo.Head, await repo.ResolveAsync(demo.Head, CancellationToken.None));
    }

    [Fact]
    public async Task A_job_submitted_as_a_path_or_with_an_origin_that_is_no_plain_url_uses_its_stored_path()
    {
        using var temp = new TempDir("culprit-repo-cache-path");
        var cache = new RepositoryCache(temp.Sub("repos"));

        Assert.Equal("/srv/linux", await cache.PathOfAsync(new JobSpec { Repo = "/srv/linux", Bad = "HEAD" }, CancellationToken.None));
        Assert.Equal("/srv/linux", await cache.PathOfAsync(new JobSpec { Repo = "/srv/linux", Origin = "ext::sh -c id", Bad = "HEAD" }, CancellationToken.None));
        Assert.False(Directory.Exists(temp.Sub("repos")));
    }
}
