using Culprit.Kernel.Build;
using Culprit.Processes;

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
        _lock = await LockAsync(Path.Combine(Root, ".lock"));
        A = await BuildWorker.EnsureAsync(Tree, Path.Combine(Root, "a"), ccache: true);
        B = await BuildWorker.EnsureAsync(Tree, Path.Combine(Root, "worker-with-a-longer-path", "b"), ccache: false);
    }

    public Task DisposeAsync()
    {
        _lock?.Dispose();
        return Task.CompletedTask;
    }

    // Another test process (a second `dotnet test`) must not build in the same workers meanwhile:
    // an exclusive open is an flock on Linux, released when this process ends however it ends.
    private static async Task<FileStream> LockAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddHours(1);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}

/// <summary>One worker: its checkout (Source), its O= directory (Output), and whether it compiles through ccache.</summary>
public sealed record BuildWorker(string Source, string Output, bool Ccache)
{
    public static async Task<BuildWorker> EnsureAsync(TestKernelTree tree, string directory, bool ccache)
    {
        // The names the CLI's kernel workers use (KernelTester): ccache entries are keyed by paths
        // relative to the build directory, so only a worker laid out alike shares them.
        var source = Path.Combine(directory, "worktree");
        var output = Path.Combine(directory, "build");
        if (!await IsWorktreeOfAsync(source, tree))
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
            Directory.CreateDirectory(directory);
            await tree.GitAsync("worktree", "prune");
            await tree.GitAsync("worktree", "add", "-q", "--detach", "-f", source, tree.Good);
        }
        return new BuildWorker(source, output, ccache);
    }

    public async Task CheckoutAsync(string revision) =>
        await ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", Source, "checkout", "-q", "--detach", "-f", revision]) { Timeout = TimeSpan.FromMinutes(10) });

    /// <summary>How this worker builds: a test that changes one option keeps the others (ccache above all: a build
    /// with other make variables than the worker's last one recompiles everything).</summary>
    public KernelBuildOptions Options(string config) => new(Source, Output, config) { Ccache = Ccache };

    public KernelBuilder Builder(string config) => new(Options(config));

    private static async Task<bool> IsWorktreeOfAsync(string source, TestKernelTree tree)
    {
        if (!Directory.Exists(source))
        {
            return false;
        }
        var result = await ProcessRunner.RunAsync(new ProcessSpec("git", ["-C", source, "rev-parse", "--path-format=absolute", "--git-common-dir"]));
        return result.Succeeded
            && Path.GetFullPath(result.StandardOutput.Trim()) == Path.GetFullPath(Path.Combine(tree.Repository, ".git"));
    }
}
