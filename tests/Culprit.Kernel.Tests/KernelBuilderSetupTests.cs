using Culprit.Kernel.Build;
using Culprit.Processes;

namespace Culprit.Kernel.Tests;

/// <summary>What the builder refuses or reports before make compiles anything (no kernel source needed).</summary>
public sealed class KernelBuilderSetupTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("culprit-builder-");

    public void Dispose() => _dir.Delete(true);

    private string Tree(int version, int patchlevel)
    {
        var tree = Path.Combine(_dir.FullName, $"linux-{version}.{patchlevel}");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "Makefile"), $"VERSION = {version}\nPATCHLEVEL = {patchlevel}\nSUBLEVEL = 0\n");
        return tree;
    }

    private string Config(string text = "CONFIG_64BIT=y\n")
    {
        var path = Path.Combine(_dir.FullName, $"{Guid.NewGuid():N}.config");
        File.WriteAllText(path, text);
        return path;
    }

    // A PATH holding links to every build tool but one.
    private string PathWithout(string missing)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_dir.FullName, $"bin-without-{missing}")).FullName;
        foreach (var tool in HostTools.BuildEssentials.Append("gcc").Where(t => t != missing))
        {
            File.CreateSymbolicLink(Path.Combine(bin, tool), HostTools.Require(tool));
        }
        return bin;
    }

    [Theory]
    [InlineData("make")]
    [InlineData("flex")]
    [InlineData("bison")]
    [InlineData("bc")]
    [InlineData("perl")]
    public async Task A_missing_build_tool_is_one_line_naming_its_package(string tool)
    {
        var builder = new KernelBuilder(new KernelBuildOptions(Tree(6, 1), Path.Combine(_dir.FullName, "out"), Config()) { SearchPath = PathWithout(tool) });

        var error = await Assert.ThrowsAsync<MissingToolException>(() => builder.PrepareAsync("HEAD"));

        Assert.Equal($"{tool} not found: install the Debian package {tool}", error.Message);
    }

    [Fact]
    public async Task Ccache_must_be_installed_when_asked_for()
    {
        var options = new KernelBuildOptions(Tree(6, 1), Path.Combine(_dir.FullName, "out"), Config()) { Ccache = true, SearchPath = PathWithout("ccache") };

        var error = await Assert.ThrowsAsync<MissingToolException>(() => new KernelBuilder(options).PrepareAsync("HEAD"));

        Assert.Equal("ccache not found: install the Debian package ccache", error.Message);
    }

    [Fact]
    public async Task A_config_that_is_not_a_kernel_config_stops_before_building()
    {
        var output = Path.Combine(_dir.FullName, "out");
        var builder = new KernelBuilder(new KernelBuildOptions(Tree(6, 1), output, Config("hello world\n")));

        await Assert.ThrowsAsync<KernelInputException>(() => builder.BuildAsync("HEAD"));

        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task The_compiler_is_picked_by_the_version_in_the_commits_Makefile()
    {
        var table = CompilerTable.Parse("..4.18 gcc-3\n4.19.. gcc\n", "compilers.txt");
        var config = Config();
        var gcc = await CompilerSpec.Gcc.DescribeAsync();

        var recent = new KernelBuilder(new KernelBuildOptions(Tree(6, 1), Path.Combine(_dir.FullName, "out1"), config) { Compilers = table });
        var old = new KernelBuilder(new KernelBuildOptions(Tree(4, 14), Path.Combine(_dir.FullName, "out2"), config) { Compilers = table });

        Assert.Equal(gcc, await recent.PrepareAsync("HEAD"));
        var error = await Assert.ThrowsAsync<MissingToolException>(() => old.PrepareAsync("HEAD"));
        Assert.Equal("gcc-3 not found: install the Debian package gcc-3", error.Message);
    }

    [Fact]
    public async Task A_kernel_no_compiler_rule_covers_fails_to_build_with_that_reason()
    {
        var output = Path.Combine(_dir.FullName, "out");
        var builder = new KernelBuilder(new KernelBuildOptions(Tree(3, 10), output, Config()) { Compilers = CompilerTable.Parse("4.19.. gcc", "compilers.txt") });

        Assert.Null(await builder.PrepareAsync("HEAD"));
        var result = await builder.BuildAsync("HEAD");

        Assert.False(result.Ok);
        Assert.Equal("no compiler for kernel 3.10 in compilers.txt", result.Error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_build_that_takes_longer_than_the_timeout_is_killed_and_fails_with_that_reason()
    {
        var tree = Tree(6, 1);
        var hang = ProcessList.UniqueSleep();
        File.AppendAllText(Path.Combine(tree, "Makefile"), $"olddefconfig:\n\t@true\nbzImage:\n\tsleep {hang}\n");
        var builder = new KernelBuilder(new KernelBuildOptions(tree, Path.Combine(_dir.FullName, "out"), Config()) { Timeout = TimeSpan.FromSeconds(2) });

        var result = await builder.BuildAsync("HEAD");

        Assert.False(result.Ok);
        Assert.Equal("build timed out after 2s (make bzImage)", result.Error);
        Assert.Empty(ProcessList.Running("sleep", hang));
    }

    // Past the 2 MiB tail of make's output the builder once kept.
    private const int ChattyBytes = 3 * 1024 * 1024;

    /// <summary>A tree whose bzImage prints <paramref name="firstLine"/>, then more than the old capture held, then fails.</summary>
    private string ChattyFailingTree(string firstLine)
    {
        var tree = Tree(6, 1);
        File.AppendAllText(Path.Combine(tree, "Makefile"),
            $"olddefconfig:\n\t@true\nbzImage:\n\t@echo '{firstLine}'\n\t@yes '  CC      drivers/chatty/file.o' | head -c {ChattyBytes}\n\t@exit 2\n");
        return tree;
    }

    [Fact]
    public async Task A_missing_tool_named_at_the_head_of_a_long_build_output_is_still_found()
    {
        var builder = new KernelBuilder(new KernelBuildOptions(ChattyFailingTree("/bin/sh: 1: flex: not found"), Path.Combine(_dir.FullName, "out"), Config()));

        var error = await Assert.ThrowsAsync<MissingToolException>(() => builder.BuildAsync("HEAD"));

        Assert.Equal("flex not found: install the Debian package flex", error.Message);
    }

    [Fact]
    public async Task An_error_at_the_head_of_a_long_build_output_leads_the_failure()
    {
        var tree = ChattyFailingTree("kernel/exit.c:997:17: error: implicit declaration of function culprit_gone");
        var builder = new KernelBuilder(new KernelBuildOptions(tree, Path.Combine(_dir.FullName, "out"), Config()));

        var result = await builder.BuildAsync("HEAD");

        Assert.False(result.Ok);
        Assert.StartsWith("kernel/exit.c:997:17: error: implicit declaration of function culprit_gone\n", result.Error);
    }

    [Fact]
    public async Task The_signature_is_the_sha256_of_the_image()
    {
        var image = Path.Combine(_dir.FullName, "bzImage");
        File.WriteAllText(image, "culprit\n");
        var expected = (await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("sha256sum", image))).StandardOutput[..64];

        Assert.Equal(expected, await KernelBuilder.SignatureAsync(image));
    }
}
