namespace Culprit.Kernel.Tests;

public sealed class KernelVersionTests
{
    [Fact]
    public void Versions_compare_by_major_then_minor()
    {
        Assert.True(KernelVersion.Parse("5.10") > KernelVersion.Parse("5.9"));
        Assert.True(KernelVersion.Parse("6.0") > KernelVersion.Parse("5.19"));
        Assert.Equal(KernelVersion.Parse("4.19"), new KernelVersion(4, 19));
    }

    [Theory]
    [InlineData("v6.1")]
    [InlineData("6")]
    [InlineData("6.1.2")]
    [InlineData("six.one")]
    public void Only_major_dot_minor_parses(string text) => Assert.False(KernelVersion.TryParse(text, out _));

    [Fact]
    public void The_version_is_read_from_the_top_Makefile()
    {
        var dir = Directory.CreateTempSubdirectory("culprit-makefile-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "Makefile"), "# SPDX-License-Identifier: GPL-2.0\nVERSION = 4\nPATCHLEVEL = 19\nSUBLEVEL = 325\nEXTRAVERSION =\nNAME = \"People's Front\"\n");
            Assert.Equal(new KernelVersion(4, 19), KernelVersion.FromMakefile(dir.FullName));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void A_tree_without_a_Makefile_is_not_a_kernel_tree()
    {
        var dir = Directory.CreateTempSubdirectory("culprit-makefile-");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => KernelVersion.FromMakefile(dir.FullName));
            Assert.Contains("not a kernel source tree", error.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
