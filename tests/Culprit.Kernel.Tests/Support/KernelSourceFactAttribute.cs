namespace Culprit.Kernel.Tests.Support;

/// <summary>A test that needs Debian's linux-source-6.1 tarball; skipped, saying so, only when it is absent.</summary>
public sealed class KernelSourceFactAttribute : FactAttribute
{
    public KernelSourceFactAttribute()
    {
        if (!File.Exists(TestKernelTree.Tarball))
        {
            Skip = $"{TestKernelTree.Tarball} is absent: install the Debian package linux-source-6.1 (scripts/install-deps.sh)";
        }
    }
}
