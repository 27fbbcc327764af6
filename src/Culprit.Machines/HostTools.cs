using Culprit.Processes;

namespace Culprit.Machines;

/// <summary>The host programs kernel mode runs, found before any work starts so a missing one fails early.</summary>
public static class HostTools
{
    public const string DefaultQemu = "qemu-system-x86_64";
    public const string DefaultBusybox = "/bin/busybox";

    /// <summary>The full path of <paramref name="program"/> (a path, or a name looked up on PATH), or null.</summary>
    public static string? Find(string program)
    {
        if (program.Contains('/'))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & UnixFileMode.UserExecute) != 0))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>The QEMU binary, or <see cref="MissingToolException"/> naming the package (for a name looked up on PATH; a path the user gave is theirs to fix).</summary>
    public static string RequireQemu(string program = DefaultQemu) =>
        Find(program) ?? throw new MissingToolException(program, program.Contains('/') ? null : "qemu-system-x86");

    /// <summary>
    /// A statically linked busybox, or <see cref="MissingToolException"/>: Debian's plain busybox
    /// package is dynamically linked and would not run in an initramfs without libc.
    /// </summary>
    public static string RequireStaticBusybox(string path = DefaultBusybox)
    {
        var found = Find(path) ?? throw new MissingToolException(path, "busybox-static");
        var elf = ElfFile.Read(found);
        if (elf is null || !elf.IsStatic)
        {
            throw new MissingToolException(found, "busybox-static", $"{found} is not a statically linked executable");
        }
        return found;
    }
}
