namespace Culprit.Machines.Tests;

public sealed class ReproducerPreparerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_C_file_is_compiled_into_a_static_x86_executable()
    {
        var source = _dir.Write("repro.c", "#include <unistd.h>\nint main(void) { return getpid() > 0 ? 0 : 1; }\n");

        var repro = await ReproducerPreparer.PrepareAsync(source, _dir.File("work"));

        Assert.Equal(ReproducerKind.CProgram, repro.Kind);
        Assert.Equal(source, repro.Source);
        var elf = ElfFile.Read(repro.Program);
        Assert.NotNull(elf);
        Assert.True(elf.IsStatic);
        Assert.Equal(ElfFile.MachineX86_64, elf.Machine);
    }

    [Fact]
    public async Task A_C_file_that_does_not_compile_names_the_file_and_the_first_compiler_error()
    {
        var source = _dir.Write("broken.c", "int main(void)\n{\n\treturn undeclared_thing;\n}\n");

        var error = await Assert.ThrowsAsync<ReproducerException>(() => ReproducerPreparer.PrepareAsync(source, _dir.File("work")));

        Assert.StartsWith($"reproducer {source} does not compile: ", error.Message);
        Assert.Contains("broken.c:3:", error.Message);
        Assert.Contains("'undeclared_thing' undeclared", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_missing_file_is_a_clear_error()
    {
        var missing = _dir.File("nope.c");

        var error = await Assert.ThrowsAsync<ReproducerException>(() => ReproducerPreparer.PrepareAsync(missing, _dir.File("work")));

        Assert.Equal($"reproducer {missing} not found", error.Message);
    }

    [Fact]
    public async Task A_static_executable_is_used_as_it_is()
    {
        var repro = await ReproducerPreparer.PrepareAsync(HostTools.DefaultBusybox, _dir.File("work"));

        Assert.Equal(ReproducerKind.StaticExecutable, repro.Kind);
        Assert.Equal(HostTools.DefaultBusybox, repro.Program);
    }

    [Fact]
    public async Task A_dynamically_linked_executable_is_refused_because_the_vm_has_no_libc()
    {
        var error = await Assert.ThrowsAsync<ReproducerException>(() => ReproducerPreparer.PrepareAsync("/bin/ls", _dir.File("work")));

        Assert.Equal("reproducer /bin/ls is dynamically linked; the VM has no libc: link it with -static", error.Message);
    }

    [Fact]
    public async Task A_text_file_is_a_shell_script()
    {
        var script = _dir.Write("repro.sh", "echo hello\n");

        var repro = await ReproducerPreparer.PrepareAsync(script, _dir.File("work"));

        Assert.Equal(ReproducerKind.ShellScript, repro.Kind);
        Assert.Equal(script, repro.Program);
    }

    [Fact]
    public async Task A_binary_that_is_not_elf_is_refused()
    {
        var blob = _dir.File("repro.bin");
        await File.WriteAllBytesAsync(blob, [0x00, 0x01, 0x02, 0xff, 0x00]);

        var error = await Assert.ThrowsAsync<ReproducerException>(() => ReproducerPreparer.PrepareAsync(blob, _dir.File("work")));

        Assert.Contains("is neither a C file (.c), an ELF executable nor a shell script", error.Message);
    }
}
