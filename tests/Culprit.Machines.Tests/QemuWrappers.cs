namespace Culprit.Machines.Tests;

/// <summary>
/// Stand-ins for the QEMU of a machine whose KVM is broken in a known way: scripts that answer some
/// command lines with QEMU's own nested-virtualization error and pass the rest to the real QEMU.
/// </summary>
internal static class QemuWrappers
{
    public const string MsrError = "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69";
    private const string Assertion = "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.";

    private static string RealQemu => HostTools.Find(HostTools.DefaultQemu) ?? throw new InvalidOperationException("qemu-system-x86_64 is not installed");

    /// <summary>KVM fails for every CPU model, as where /dev/kvm opens but vCPUs cannot be set up; TCG runs.</summary>
    public static string KvmFailsWithMsrError(TempDirectory dir) => Write(dir, "qemu-msr", $$"""
        #!/bin/bash
        prev=
        for a in "$@"; do
            if [ "$prev" = -accel ] && [ "$a" = kvm ]; then
                echo '{{MsrError}}' >&2
                echo '{{Assertion.Replace("'", "'\\''", StringComparison.Ordinal)}}' >&2
                exit 134
            fi
            prev=$a
        done
        exec '{{RealQemu}}' "$@"
        """);

    /// <summary>KVM refuses only <c>-cpu host</c>; other KVM models are run (under TCG, so no KVM is needed to test this).</summary>
    public static string KvmRefusesCpuHostOnly(TempDirectory dir) => Write(dir, "qemu-host-msr", $$"""
        #!/bin/bash
        args=() kvm=0 cpu=
        while [ $# -gt 0 ]; do
            case "$1" in
                -accel) if [ "$2" = kvm ]; then kvm=1; args+=(-accel tcg); else args+=(-accel "$2"); fi; shift 2 ;;
                -cpu) cpu=$2; shift 2 ;;
                *) args+=("$1"); shift ;;
            esac
        done
        if [ $kvm = 1 ] && [ "$cpu" = host ]; then
            echo '{{MsrError}}' >&2
            exit 134
        fi
        exec '{{RealQemu}}' "${args[@]}"
        """);

    /// <summary>
    /// KVM starts every VM and runs real-mode code (the BIOS) but no 64-bit kernel, printing nothing and
    /// never exiting, as kvm-pvm does for a guest not built for it: stood in for by TCG with a CPU that
    /// has no long mode, so no KVM is needed to test this.
    /// </summary>
    public static string KvmRunsOnlyRealMode(TempDirectory dir) => Write(dir, "qemu-real-mode-only", $$"""
        #!/bin/bash
        args=() kvm=0
        while [ $# -gt 0 ]; do
            case "$1" in
                -accel) if [ "$2" = kvm ]; then kvm=1; args+=(-accel tcg); else args+=(-accel "$2"); fi; shift 2 ;;
                -cpu) [ $kvm = 1 ] || args+=(-cpu "$2"); shift 2 ;;
                *) args+=("$1"); shift ;;
            esac
        done
        [ $kvm = 0 ] || args+=(-cpu qemu32)
        exec '{{RealQemu}}' "${args[@]}"
        """);

    /// <summary>
    /// KVM runs the probe (here under TCG) but a VM booting a kernel prints nothing and never ends, as
    /// a KVM no probe can foresee would; TCG boots kernels. With <paramref name="tcgSilentToo"/> TCG's
    /// kernel boots are silent as well, as a kernel that dies before its first line is under both.
    /// </summary>
    public static string KvmBootsNoKernel(TempDirectory dir, bool tcgSilentToo = false) => Write(dir, tcgSilentToo ? "qemu-all-silent" : "qemu-kvm-silent", $$"""
        #!/bin/bash
        args=() kvm=0 kernel=0
        while [ $# -gt 0 ]; do
            case "$1" in
                -accel) if [ "$2" = kvm ]; then kvm=1; args+=(-accel tcg); else args+=(-accel "$2"); fi; shift 2 ;;
                -cpu) [ $kvm = 1 ] || args+=(-cpu "$2"); shift 2 ;;
                -kernel) kernel=1; args+=("$1"); shift ;;
                *) args+=("$1"); shift ;;
            esac
        done
        if [ $kernel = 1 ] && { [ $kvm = 1 ] || [ {{(tcgSilentToo ? 1 : 0)}} = 1 ]; }; then
            exec sleep 600
        fi
        exec '{{RealQemu}}' "${args[@]}"
        """);

    /// <summary>A QEMU that fails every VM whatever it is asked, as a broken host does.</summary>
    public static string AlwaysFails(TempDirectory dir) => Write(dir, "qemu-broken", $$"""
        #!/bin/sh
        echo '{{MsrError}}' >&2
        exit 134
        """);

    private static string Write(TempDirectory dir, string name, string script)
    {
        var path = dir.Write(name, script + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
