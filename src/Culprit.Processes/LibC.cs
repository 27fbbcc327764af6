using System.Runtime.InteropServices;

namespace Culprit.Processes;

/// <summary>The few Linux system calls .NET does not expose: subreaper, signals by pid, reaping one child.</summary>
internal static class LibC
{
    public const int SIGKILL = 9;
    public const int WNOHANG = 1;
    private const int PR_SET_CHILD_SUBREAPER = 36;

    [DllImport("libc", SetLastError = true)]
    private static extern int prctl(int option, nint arg2, nint arg3, nint arg4, nint arg5);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [DllImport("libc", SetLastError = true)]
    private static extern int waitpid(int pid, out int status, int options);

    /// <summary>Orphaned descendants are reparented to this process instead of init.</summary>
    public static bool SetChildSubreaper() => prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;

    public static void Kill(int pid) => kill(pid, SIGKILL);

    /// <summary>Reaps <paramref name="pid"/> if it is an exited child of ours; true when it was reaped.</summary>
    public static bool TryReap(int pid) => waitpid(pid, out _, WNOHANG) == pid;
}
