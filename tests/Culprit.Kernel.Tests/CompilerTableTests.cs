using Culprit.Kernel.Build;

namespace Culprit.Kernel.Tests;

public sealed class CompilerTableTests
{
    private const string Table = """
        # old kernels need old compilers
        ..4.18      /opt/gcc-8/bin/gcc
        4.19..5.9   gcc-10    # inclusive at both ends
        5.10..      gcc
        """;

    [Theory]
    [InlineData("3.10", "/opt/gcc-8/bin/gcc")]
    [InlineData("4.18", "/opt/gcc-8/bin/gcc")]
    [InlineData("4.19", "gcc-10")]
    [InlineData("5.9", "gcc-10")]
    [InlineData("5.10", "gcc")]
    [InlineData("6.1", "gcc")]
    public void The_rule_whose_range_holds_the_version_picks_the_compiler(string version, string compiler) =>
        Assert.Equal(compiler, CompilerTable.Parse(Table).For(KernelVersion.Parse(version))?.Command);

    [Fact]
    public void The_first_matching_rule_wins()
    {
        var table = CompilerTable.Parse("5.0..5.15 clang\n.. gcc\n");
        Assert.Equal("clang", table.For(new KernelVersion(5, 4))?.Command);
        Assert.Equal("gcc", table.For(new KernelVersion(6, 1))?.Command);
    }

    [Fact]
    public void A_version_no_rule_covers_has_no_compiler() =>
        Assert.Null(CompilerTable.Parse("5.10.. gcc").For(new KernelVersion(4, 19)));

    [Theory]
    [InlineData("5.10 gcc", "not a range")]
    [InlineData("5.10..", "expected 'RANGE COMPILER'")]
    [InlineData("5.x.. gcc", "'5.x' is not a kernel version")]
    [InlineData("5.10..4.19 gcc", "is empty")]
    [InlineData("# nothing\n", "no compiler rules")]
    public void Bad_lines_are_reported_with_file_and_line(string text, string message)
    {
        var error = Assert.Throws<KernelInputException>(() => CompilerTable.Parse("# header\n" + text, "compilers.txt"));
        Assert.Contains(message, error.Message);
        Assert.StartsWith("compilers.txt", error.Message);
    }

    [Fact]
    public void A_single_compiler_covers_every_version()
    {
        var table = CompilerTable.Single(CompilerSpec.Parse("clang"));
        Assert.Equal("clang", table.For(new KernelVersion(2, 6))?.Command);
        Assert.Equal("clang", table.For(new KernelVersion(7, 0))?.Command);
    }
}
