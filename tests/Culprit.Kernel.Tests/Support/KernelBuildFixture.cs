namespace Culprit.Kernel.Tests.Support;

[CollectionDefinition(Name)]
public sealed class KernelBuildCollection : ICollectionFixture<KernelBuildFixture>
{
    /// <summary>Kernel builds are heavy: the tests that run them share workers and run one at a time.</summary>
    public const string Name = "kernel builds";
}

/// <summary>
/// Two build workers on the test kernel tree, each a git worktree and an O= directory, kept in the
/// test cache between runs so that only the first run builds from scratch. Their paths differ in
/// length and depth on purpose: equal signatures must not depend on where a worker builds.
/// A compiles through ccache (the user's default cache, as <c>culprit bisect --ccache</c> does) and is
/// laid out as the CLI lays out its workers (worktree/ + build/), so the CLI's kernel tests find its
/// objects there instead of compiling the kernel again; B compiles everything itself, so equal
/// signatures also show that a build served from ccache is the kernel a plain build makes.
/// </summary>
public sealed class KernelBuildFixture : IAsyncLifetime
{
    private FileStream? _lock;

    public TestKernelTree Tree { get; private set; } = null!;
    public BuildWorker A { get; private set; } = null!;
    public BuildWorker B { get; private set; } = null!;

    public static string Root => Path.Combine(TestCache.Directory, "kernel-builder");

    public async Task InitializeAsync()
    {
        if (!File.Exists(TestKernelTree.Tarball))
        {
            return; // every test here is skipped
        }
        Tree = await TestKernelTree.GetAsync();
        Directory.CreateDirectory(Root);
        _lock = await FileLock.AcquireAsync(Path.Combine(Root, ".lock"));
        A = await BuildWorker.EnsureAsync(Tree, Path.Combine(Root, "a"), ccache: true);
        B = await BuildWorker.EnsureAsync(Tree, Path.Combine(Root, "worker-with-a-longer-path", "b"), ccache: false);
    }

    public Task DisposeAsync()
    {
        _lock?.Dispose();
        return Task.CompletedTask;
    }
}
