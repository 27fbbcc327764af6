using Culprit.Kernel.Build;

namespace Culprit.Kernel.Tests;

public sealed class BuildErrorsTests
{
    private const string Output = """
          CC      kernel/fork.o
          CC      kernel/exit.o
        /work/w1/src/kernel/exit.c: In function '__do_sys_exit':
        /work/w1/src/kernel/exit.c:997:17: error: implicit declaration of function 'exit_code_to_status' [-Werror=implicit-function-declaration]
          997 |         do_exit(exit_code_to_status(error_code));
              |                 ^~~~~~~~~~~~~~~~~~~
        cc1: some warnings being treated as errors
        make[3]: *** [/work/w1/src/scripts/Makefile.build:250: kernel/exit.o] Error 1
        make[2]: *** [/work/w1/src/scripts/Makefile.build:500: kernel] Error 2
        make[1]: *** [/work/w1/src/Makefile:2012: .] Error 2
        make: *** [Makefile:226: __sub-make] Error 2
        """;

    [Fact]
    public void The_error_lines_come_first_without_the_workers_paths()
    {
        var summary = BuildErrors.Summarize(Output, ["/work/w1/src", "/work/w1/out"]).Split('\n');
        Assert.Equal("kernel/exit.c:997:17: error: implicit declaration of function 'exit_code_to_status' [-Werror=implicit-function-declaration]", summary[0]);
        Assert.Equal("make: *** [Makefile:226: __sub-make] Error 2", summary[^1]);
        Assert.DoesNotContain(summary, l => l.Contains("/work/w1"));
    }

    [Fact]
    public void Link_errors_count_as_error_lines()
    {
        var summary = BuildErrors.Summarize("  LD      vmlinux.o\nld: kernel/sys.o: in function `__do_sys_uname':\nsys.c:(.text+0x1c): undefined reference to `culprit_missing'\nmake: *** [Makefile:1250: vmlinux] Error 2\n", []);
        Assert.StartsWith("sys.c:(.text+0x1c): undefined reference to `culprit_missing'", summary);
    }

    [Theory]
    [InlineData("/bin/sh: 1: flex: not found", "flex")]
    [InlineData("/bin/sh: 1: bison: not found", "bison")]
    [InlineData("/bin/sh: line 1: bc: command not found", "bc")]
    [InlineData("tools/objtool/include/objtool/elf.h:10:10: fatal error: gelf.h: No such file or directory", "libelf-dev")]
    [InlineData("scripts/sign-file.c:25:10: fatal error: openssl/opensslv.h: No such file or directory", "libssl-dev")]
    public void A_missing_tool_in_the_output_names_its_package(string line, string package)
    {
        var missing = BuildErrors.FindMissingTool("  HOSTCC  scripts/basic/fixdep\n" + line + "\nmake: *** Error 2\n");
        Assert.NotNull(missing);
        Assert.Equal(package, missing.Package);
        Assert.EndsWith($"install the Debian package {package}", missing.Message);
    }

    [Fact]
    public void A_compile_error_is_not_a_missing_tool() => Assert.Null(BuildErrors.FindMissingTool(Output));
}
