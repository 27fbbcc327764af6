using Culprit.Kernel.Build;
using Culprit.Processes;

namespace Culprit.Kernel.Tests;

public sealed class CompilerSpecTests
{
    [Fact]
    public async Task The_description_is_the_first_line_of_the_compilers_version()
    {
        var own = await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("gcc", "--version"));
        var description = await CompilerSpec.Gcc.DescribeAsync();
        Assert.Equal(own.StandardOutput.Split('\n')[0].Trim(), description);
        Assert.Matches(@"^gcc \(.+\) \d+\.\d+", description);
    }

    [Fact]
    public async Task A_missing_versioned_compiler_names_its_package()
    {
        var error = await Assert.ThrowsAsync<MissingToolException>(() => CompilerSpec.Parse("gcc-3").DescribeAsync());
        Assert.Equal("gcc-3 not found: install the Debian package gcc-3", error.Message);
    }

    [Fact]
    public async Task A_missing_compiler_path_is_named_without_a_package()
    {
        var error = await Assert.ThrowsAsync<MissingToolException>(() => CompilerSpec.Parse("/opt/nowhere/bin/gcc").DescribeAsync());
        Assert.Equal("compiler /opt/nowhere/bin/gcc not found", error.Message);
        Assert.Null(error.Package);
    }

    [Fact]
    public void Gcc_is_passed_as_CC_and_HOSTCC() =>
        Assert.Equal(["CC=gcc-10", "HOSTCC=gcc-10"], CompilerSpec.Parse("gcc-10").MakeVariables(ccache: false));

    [Fact]
    public void Ccache_wraps_the_target_and_the_host_compiler() =>
        Assert.Equal(["CC=ccache gcc", "HOSTCC=ccache gcc"], CompilerSpec.Gcc.MakeVariables(ccache: true));

    [Fact]
    public async Task A_compiler_is_asked_whether_it_takes_an_option()
    {
        Assert.True(await CompilerSpec.Gcc.AcceptsAsync("-fmacro-prefix-map=a=b"));
        Assert.False(await CompilerSpec.Gcc.AcceptsAsync("-fno-such-option-culprit"));
        Assert.False(await CompilerSpec.Parse("/opt/nowhere/bin/gcc").AcceptsAsync("-O2"));
    }

    [Fact]
    public void Clang_builds_use_the_LLVM_toolchain()
    {
        var clang = CompilerSpec.Parse("/usr/lib/llvm-15/bin/clang");
        Assert.True(clang.IsClang);
        Assert.Equal(["LLVM=1", "CC=/usr/lib/llvm-15/bin/clang", "HOSTCC=/usr/lib/llvm-15/bin/clang"], clang.MakeVariables(ccache: false));
        Assert.Equal("/usr/lib/llvm-15/bin", clang.ToolchainDirectory);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ccache gcc")]
    public void A_compiler_is_one_word(string text) => Assert.Throws<KernelInputException>(() => CompilerSpec.Parse(text));
}
