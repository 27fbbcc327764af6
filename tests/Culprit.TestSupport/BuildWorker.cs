using Culprit.Kernel.Build;
using Culprit.Processes;

namespace Culprit.TestSupport;

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
