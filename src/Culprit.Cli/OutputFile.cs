using System.Runtime.InteropServices;
using Culprit.Jobs;

namespace Culprit.Cli;

/// <summary>
/// Checks a file the user asks Culprit to write (<c>--json FILE</c>, <c>report -o FILE</c>) before
/// anything runs: a name, not a directory, in a directory that exists, and never the job store
/// itself (by identity, so a symlink or a hard link to the store is caught too).
/// </summary>
internal static class OutputFile
{
    /// <summary>The name that means standard output for <c>-o</c>.</summary>
    public const string StandardOutput = "-";

    /// <param name="storePath">The job store the command opens, never to be written over; null when it opens none.</param>
    public static void Check(string? path, string? storePath, string option)
    {
        if (path is null)
        {
            return;
        }
        if (path.Length == 0)
        {
            throw new UsageException($"{option} needs a file name (got an empty one)");
        }
        if (Directory.Exists(path))
        {
            throw new UsageException($"{option} {path} is a directory, not a file");
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir))
        {
            throw new UsageException($"{option} {path}: directory {dir} does not exist");
        }
        if (storePath is not null && NamesStore(path, storePath))
        {
            throw new UsageException($"{option} {path} is the job store itself; writing it would destroy the jobs");
        }
    }

    /// <summary>Whether <paramref name="path"/> is the store or one of SQLite's files beside it.</summary>
    private static bool NamesStore(string path, string storePath)
    {
        var full = Path.GetFullPath(path);
        var store = Path.GetFullPath(storePath);
        string[] storeFiles = [store, store + "-wal", store + "-shm", store + "-journal"];
        if (storeFiles.Contains(full, StringComparer.Ordinal))
        {
            return true;
        }
        return Identity(full) is { } id && storeFiles.Any(f => Identity(f) == id);
    }

    /// <summary>The file's device and inode (what <c>stat</c> follows symlinks to), or null when it does not exist.</summary>
    private static (ulong Device, ulong Inode)? Identity(string path)
    {
        // struct stat starts with st_dev and st_ino, both 64-bit, on every 64-bit Linux glibc supports.
        var buffer = new byte[256];
        if (Stat(path, buffer) != 0)
        {
            return null;
        }
        return (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] buffer);
}
