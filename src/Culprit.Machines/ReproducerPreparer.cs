using Culprit.Processes;

namespace Culprit.Machines;

/// <summary>
/// Turns <c>--repro FILE</c> into a <see cref="Reproducer"/>: a <c>.c</c> file is compiled the way
/// syzkaller's C reproducers are (<c>gcc -static -pthread</c>), an ELF file must be static, anything
/// else that is text is a shell script.
/// </summary>
public static class ReproducerPreparer
{
    public static readonly TimeSpan CompileTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Prepares <paramref name="file"/>; a compiled program is written into <paramref name="workDirectory"/>.
    /// Throws <see cref="ReproducerException"/> with a one-line message when the file cannot be used.
    /// </summary>
    public static async Task<Reproducer> PrepareAsync(string file, string workDirectory, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(file))
        {
            throw new ReproducerException($"reproducer {file} not found");
        }
        var source = Path.GetFullPath(file);
        if (source.EndsWith(".c", StringComparison.Ordinal))
        {
            return new Reproducer(source, ReproducerKind.CProgram, await CompileAsync(file, source, workDirectory, cancellationToken));
        }
        var head = ReadHead(source);
        if (ElfFile.HasElfMagic(head))
        {
            CheckExecutable(file, source);
            return new Reproducer(source, ReproducerKind.StaticExecutable, source);
        }
        if (head.AsSpan().Contains((byte)0))
        {
            throw new ReproducerException($"reproducer {file} is neither a C file (.c), an ELF executable nor a shell script");
        }
        return new Reproducer(source, ReproducerKind.ShellScript, source);
    }

    private static async Task<string> CompileAsync(string file, string source, string workDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workDirectory);
        var output = Path.Combine(workDirectory, Path.GetFileNameWithoutExtension(source));
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(
                ProcessSpec.Of("gcc", "-static", "-pthread", "-O1", "-o", output, source) with
                {
                    Timeout = CompileTimeout,
                    // Plain ASCII quotes and English messages in the one line we show.
                    Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C" },
                },
                cancellationToken);
        }
        catch (ProcessStartException)
        {
            throw new MissingToolException("gcc", "gcc");
        }
        if (!result.Succeeded)
        {
            var why = result.TimedOut ? $"gcc timed out after {CompileTimeout.TotalSeconds:0} s" : FirstError(result.Output);
            throw new ReproducerException($"reproducer {file} does not compile: {why}");
        }
        return output;
    }

    /// <summary>The first line a reader would look at: gcc's first error, else the linker's, else the last line.</summary>
    private static string FirstError(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => l.Contains("error:", StringComparison.Ordinal))
            ?? lines.FirstOrDefault(l => l.Contains("undefined reference", StringComparison.Ordinal) || l.Contains("cannot find", StringComparison.Ordinal))
            ?? lines.LastOrDefault()
            ?? "gcc failed without output";
    }

    private static void CheckExecutable(string file, string source)
    {
        var elf = ElfFile.Read(source) ?? throw new ReproducerException($"reproducer {file} is not a readable ELF file");
        if (!elf.RunsOnX86)
        {
            throw new ReproducerException($"reproducer {file} is an ELF file for machine {elf.Machine}, not x86");
        }
        if (!elf.IsStatic)
        {
            throw new ReproducerException($"reproducer {file} is dynamically linked; the VM has no libc: link it with -static");
        }
    }

    private static byte[] ReadHead(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[4096];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return buffer[..read];
    }
}
