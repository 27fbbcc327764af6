using Culprit.Kernel.Build;

namespace Culprit.Machines.Tests;

/// <summary>
/// The real kernel the VM tests boot: v6.1 of the test kernel tree (Debian's linux-source-6.1) with the
/// tree's config (tinyconfig + tests/kernel/culprit-test.config, lkdtm included), built by Culprit's own
/// <see cref="KernelBuilder"/> through ccache, in a worker laid out as the CLI's (worktree/ + build/), and
/// kept in the test cache: the first run on a machine compiles little (the kernel tests' ccache worker
/// built the same commit with the same config before), later runs find the kept image and build nothing.
/// </summary>
public sealed class TestKernel : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    public string BzImage => _dir.File("bzImage");

    public static string Directory => Path.Combine(TestCache.Directory, "machines-worker");

    public async Task InitializeAsync()
    {
        if (HostTools.Find(HostTools.DefaultQemu) is null)
        {
            return; // every test using it is skipped
        }
        // The kernel the earlier recipe built from an unpacked tarball, no longer used.
        var old = Path.Combine(TestCache.Directory, "machines-kernel");
        if (System.IO.Directory.Exists(old))
        {
            System.IO.Directory.Delete(old, recursive: true);
        }

        var tree = await TestKernelTree.GetAsync();
        System.IO.Directory.CreateDirectory(Directory);
        using var held = await FileLock.AcquireAsync(Path.Combine(Directory, ".lock"));
        var worker = await BuildWorker.EnsureAsync(tree, Path.Combine(Directory, "worker"), ccache: true);
        var builder = new KernelBuilder(worker.Options(tree.Config) with { ImageDirectory = Path.Combine(Directory, "images") });
        builder.CheckSetup();
        await worker.CheckoutAsync(tree.Good);
        await builder.PrepareAsync(tree.Good);
        var build = await builder.BuildAsync(tree.Good);
        if (!build.Ok || build.Artifact is null)
        {
            throw new InvalidOperationException($"the test kernel did not build: {build.Error}");
        }
        File.Copy(build.Artifact, BzImage, overwrite: true);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The VM tests share one kernel and run one class at a time: the machine has two cores.</summary>
[CollectionDefinition(Name)]
public sealed class VmCollection : ICollectionFixture<TestKernel>
{
    public const string Name = "real VMs";
}
