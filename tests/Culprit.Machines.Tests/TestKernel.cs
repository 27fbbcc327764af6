using Culprit.Processes;

namespace Culprit.Machines.Tests;

/// <summary>
/// The real kernel the VM tests boot: Debian's linux-source-6.1, tinyconfig + tests/kernel/culprit-test.config
/// + kernel/lkdtm.config, built by scripts/build-test-kernel.sh (cached across runs, so only the first
/// run pays for the build).
/// </summary>
public sealed class TestKernel : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    public string BzImage => _dir.File("bzImage");

    public static string RepoRoot { get; } = FindRepoRoot();

    public async Task InitializeAsync()
    {
        if (HostTools.Find(HostTools.DefaultQemu) is null)
        {
            return; // every test using it is skipped
        }
        var script = Path.Combine(RepoRoot, "scripts", "build-test-kernel.sh");
        var fragment = Path.Combine(RepoRoot, "tests", "Culprit.Machines.Tests", "kernel", "lkdtm.config");
        await ProcessRunner.RunCheckedAsync(ProcessSpec.Of(script, _dir.Path, fragment) with { Timeout = TimeSpan.FromMinutes(40) });
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "build-test-kernel.sh")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no scripts/build-test-kernel.sh above {AppContext.BaseDirectory}");
    }
}

/// <summary>The VM tests share one kernel and run one class at a time: the machine has two cores.</summary>
[CollectionDefinition(Name)]
public sealed class VmCollection : ICollectionFixture<TestKernel>
{
    public const string Name = "real VMs";
}
