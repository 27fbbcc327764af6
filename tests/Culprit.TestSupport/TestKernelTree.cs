using Culprit.Processes;

namespace Culprit.TestSupport;

/// <summary>
/// The real test kernel tree made by scripts/make-test-kernel-tree.sh (cached between runs), and the
/// facts it wrote about itself (culprit-test-tree.env).
/// </summary>
public sealed class TestKernelTree
{
    public const string Tarball = "/usr/src/linux-source-6.1.tar.xz";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestKernelTree? _instance;

    private TestKernelTree(IReadOnlyDictionary<string, string> facts) => Facts = facts;

    public IReadOnlyDictionary<string, string> Facts { get; }

    public string Repository => Facts["repo"];
    public string Config => Facts["config"];
    public string Culprit => Facts["culprit"];
    public string BuildBroken => Facts["build_broken"];
    public string BuildFixed => Facts["build_fixed"];
    public string DocsOnly => Facts["docs_only"];
    public string Good => Facts["good"];
    public string Bad => Facts["bad"];

    public static string Destination => Path.Combine(TestCache.Directory, "kernel-tree");

    /// <summary>Makes the tree (or finds it up to date) once per test process.</summary>
    public static async Task<TestKernelTree> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_instance is null)
            {
                var script = RepositoryRoot.Combine("scripts", "make-test-kernel-tree.sh");
                await ProcessRunner.RunCheckedAsync(new ProcessSpec(script, [Destination]) { Timeout = TimeSpan.FromMinutes(30) });
                _instance = new TestKernelTree(ReadFacts(Path.Combine(Destination, "culprit-test-tree.env")));
            }
            return _instance;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static IReadOnlyDictionary<string, string> ReadFacts(string path) =>
        File.ReadLines(path)
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('='))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

    public async Task<string> GitAsync(params string[] arguments) =>
        (await ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", Repository, .. arguments]) { Timeout = TimeSpan.FromMinutes(5) })).StandardOutput.Trim();
}
