using Culprit.Kernel.Build;

namespace Culprit.Kernel.Tests;

/// <summary>The inputs of a kernel build, read from kbuild's fixdep output (.cmd files) as an O= build of Linux 6.1 writes them.</summary>
public sealed class BuildInputsTests
{
    private const string Src = "/work/w1/src";

    // Abridged from kernel/.sys.o.cmd of an O= build of 6.1 (tinyconfig + the test fragment): the
    // command line, the source and fixdep's dependency list with its config-symbol wildcards.
    private const string SysCmd = """
        cmd_kernel/sys.o := gcc -Wp,-MMD,kernel/.sys.o.d -nostdinc -I/work/w1/src/arch/x86/include -I./arch/x86/include/generated -I/work/w1/src/include -I./include -include /work/w1/src/include/linux/compiler-version.h -include /work/w1/src/include/linux/kconfig.h -D__KERNEL__ -fmacro-prefix-map=/work/w1/src/= -Wall -std=gnu11 -DKBUILD_BASENAME='"sys"' -DKBUILD_MODNAME='"sys"' -c -o kernel/sys.o /work/w1/src/kernel/sys.c  ; ./tools/objtool/objtool --hacks=jump_label --noinstr --orc --retpoline --uaccess --static-call   kernel/sys.o

        source_kernel/sys.o := /work/w1/src/kernel/sys.c

        deps_kernel/sys.o := \
            $(wildcard include/config/MULTIUSER) \
            $(wildcard include/config/COMPAT) \
          /work/w1/src/include/linux/compiler-version.h \
            $(wildcard include/config/CC_VERSION_TEXT) \
          /work/w1/src/include/linux/kconfig.h \
            $(wildcard include/config/CPU_BIG_ENDIAN) \
          include/generated/autoconf.h \
          /work/w1/src/include/linux/export.h \
          /work/w1/src/arch/x86/include/asm/processor.h \

        kernel/sys.o: $(deps_kernel/sys.o)

        $(deps_kernel/sys.o):

        kernel/sys.o: $(wildcard ./tools/objtool/objtool)
        """;

    // .vmlinux.cmd: the link runs a script of the tree, named in cmd_ and source_.
    private const string VmlinuxCmd = """
        cmd_vmlinux := /work/w1/src/scripts/link-vmlinux.sh "ld" "-m elf_x86_64 -z noexecstack" "-z max-page-size=0x200000";  true

        source_vmlinux := /work/w1/src/scripts/link-vmlinux.sh

        deps_vmlinux := \
            $(wildcard include/config/KALLSYMS) \

        vmlinux: $(deps_vmlinux)
        """;

    [Fact]
    public void Source_deps_and_command_files_are_read_relative_to_the_tree()
    {
        var files = BuildInputs.FromDependencyText(SysCmd, Src).ToHashSet();

        Assert.Contains("kernel/sys.c", files);
        Assert.Contains("include/linux/compiler-version.h", files);
        Assert.Contains("include/linux/kconfig.h", files);
        Assert.Contains("include/linux/export.h", files);
        Assert.Contains("arch/x86/include/asm/processor.h", files);
        // Config symbols and the build's generated files are not source files; -I directories are named but are not files.
        Assert.DoesNotContain(files, f => f.StartsWith("include/config", StringComparison.Ordinal) || f.Contains("generated", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains(' ') || f.Contains('$') || f.Contains('"') || f.EndsWith('\\'));
    }

    [Fact]
    public void A_script_the_build_runs_is_an_input()
    {
        Assert.Equal(["scripts/link-vmlinux.sh"], BuildInputs.FromDependencyText(VmlinuxCmd, Src).Distinct());
    }

    [Fact]
    public void A_path_of_another_tree_that_shares_the_prefix_is_not_read()
    {
        Assert.Empty(BuildInputs.FromDependencyText("source_x.o := /work/w1/src2/kernel/x.c /work/w1/srcx.c", Src));
    }

    [Theory]
    [InlineData("Makefile", true)]
    [InlineData("arch/x86/Makefile", true)]
    [InlineData("arch/x86/Makefile_32.cpu", true)]
    [InlineData("drivers/gpu/drm/i915/Kconfig", true)]
    [InlineData("arch/x86/Kconfig.debug", true)]
    [InlineData("kernel/Kbuild", true)]
    [InlineData("scripts/Makefile.lib", true)]
    [InlineData("scripts/kconfig/conf.c", true)]
    [InlineData("tools/scripts/Makefile.include", true)]
    [InlineData("Documentation/admin-guide/README.rst", false)]
    [InlineData("drivers/gpu/drm/i915/i915_driver.c", false)]
    [InlineData("include/linux/kconfig.h", false)]
    public void Files_that_shape_every_build_are_known_by_name(string path, bool shaping)
    {
        Assert.Equal(shaping, BuildInputs.IsShapingFile(path));
    }

    [Fact]
    public void Collect_takes_the_named_files_that_exist_and_the_shaping_files_of_the_tree()
    {
        var root = Directory.CreateTempSubdirectory("culprit-inputs-");
        try
        {
            var src = Path.Combine(root.FullName, "src");
            var output = Path.Combine(root.FullName, "out");
            foreach (var file in new[] { "kernel/sys.c", "include/linux/kconfig.h", "kernel/Makefile", "Kconfig", "scripts/link-vmlinux.sh", "Documentation/notes.rst", "drivers/x/x.c" })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(src, file))!);
                File.WriteAllText(Path.Combine(src, file), "");
            }
            Directory.CreateDirectory(Path.Combine(output, "kernel"));
            File.WriteAllText(Path.Combine(output, "kernel", ".sys.o.cmd"),
                $"source_kernel/sys.o := {src}/kernel/sys.c\n\ndeps_kernel/sys.o := \\\n  {src}/include/linux/kconfig.h \\\n  {src}/include/linux/gone.h \\\n\n");

            var inputs = BuildInputs.Collect(src, output);

            Assert.Equal(["Kconfig", "include/linux/kconfig.h", "kernel/Makefile", "kernel/sys.c", "scripts/link-vmlinux.sh"], inputs);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
