using Culprit.Kernel.Build;

namespace Culprit.Kernel.Tests;

public sealed class KernelConfigFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("culprit-config-");

    public void Dispose() => _dir.Delete(true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir.FullName, ".config");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_kernel_config_loads()
    {
        const string text = "#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_64BIT=y\nCONFIG_LOCALVERSION=\"\"\n# CONFIG_SMP is not set\nCONFIG_NR_CPUS=1\n";
        Assert.Equal(text, KernelConfigFile.Load(Write(text)));
    }

    [Fact]
    public void A_missing_config_is_a_clear_error()
    {
        var error = Assert.Throws<KernelInputException>(() => KernelConfigFile.Load(Path.Combine(_dir.FullName, "nope.config")));
        Assert.EndsWith("nope.config not found", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_config_is_refused_at_its_first_bad_line()
    {
        var path = Write("CONFIG_64BIT=y\n<html>not a config</html>\n");
        var error = Assert.Throws<KernelInputException>(() => KernelConfigFile.Load(path));
        Assert.Equal($"{path}:2: not a kernel config line: '<html>not a config</html>'", error.Message);
    }

    [Fact]
    public void A_config_that_sets_nothing_is_refused()
    {
        var path = Write("# only comments\n\n");
        Assert.Contains("sets no CONFIG_ option", Assert.Throws<KernelInputException>(() => KernelConfigFile.Load(path)).Message);
    }

    [Fact]
    public void Builds_turn_off_the_git_derived_local_version()
    {
        var built = KernelConfigFile.ForBuild("CONFIG_64BIT=y\nCONFIG_LOCALVERSION_AUTO=y\nCONFIG_PRINTK=y\n");
        Assert.Equal("CONFIG_64BIT=y\nCONFIG_PRINTK=y\n# CONFIG_LOCALVERSION_AUTO is not set\n", built);
    }
}
