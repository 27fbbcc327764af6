namespace Culprit.Machines;

/// <summary>What kind of program <c>--repro</c> named.</summary>
public enum ReproducerKind
{
    /// <summary>A C file, compiled on the host with <c>gcc -static -pthread</c>.</summary>
    CProgram,
    /// <summary>A statically linked ELF executable, run as is.</summary>
    StaticExecutable,
    /// <summary>A shell script, run by busybox <c>sh</c>.</summary>
    ShellScript,
}

/// <summary>
/// A reproducer ready to go into an initramfs: <paramref name="Source"/> is what the user gave,
/// <paramref name="Program"/> the file that runs in the VM (the compiled binary for a C file).
/// </summary>
public sealed record Reproducer(string Source, ReproducerKind Kind, string Program);
