using System.Globalization;
using System.Text;

namespace Culprit.Processes;

/// <summary>What Culprit reads about processes from <c>/proc</c>; a process that vanished reads as empty.</summary>
internal static class ProcTable
{
    /// <summary>
    /// The children of <paramref name="pid"/>. Orphans reparented to a subreaper are attached to its
    /// main thread while it lives, so the main thread's <c>children</c> file lists them. The kernel
    /// builds that file entry by entry, and a child exiting meanwhile can make it skip another, so a
    /// listing counts only when two reads in a row agree; else (and on kernels without that file)
    /// every process's parent is read.
    /// </summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var file = $"/proc/{pid}/task/{pid}/children";
        if (File.Exists(file))
        {
            var last = ReadBytes(file);
            for (var read = 0; read < 3; read++)
            {
                var again = ReadBytes(file);
                if (again.AsSpan().SequenceEqual(last))
                {
                    return Encoding.ASCII.GetString(again)
                        .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                        .Select(p => int.Parse(p, CultureInfo.InvariantCulture))
                        .ToList();
                }
                last = again;
            }
        }
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var child) && ParentOf(child) == pid)
            {
                children.Add(child);
            }
        }
        return children;
    }

    /// <summary>True while <paramref name="pid"/> exists and has not exited (a zombie has).</summary>
    public static bool IsLive(int pid)
    {
        var text = ReadBytes($"/proc/{pid}/stat");
        var close = Array.LastIndexOf(text, (byte)')');
        return close >= 0 && close + 2 < text.Length && text[close + 2] is not (byte)'Z' and not (byte)'X';
    }

    /// <summary>The NUL-separated arguments of <paramref name="pid"/> (empty for zombies, and for a process in the middle of an exec).</summary>
    public static byte[] ArgumentsOf(int pid) => ReadBytes($"/proc/{pid}/cmdline");

    /// <summary>The <c>NAME=VALUE\0</c> block a process started with (empty for zombies and others' processes).</summary>
    public static byte[] EnvironmentOf(int pid) => ReadBytes($"/proc/{pid}/environ");

    /// <summary>True when the entry <paramref name="name"/> of <paramref name="environ"/> holds <paramref name="token"/> in its ':'-separated value.</summary>
    public static bool HasToken(ReadOnlySpan<byte> environ, string name, string token)
    {
        Span<byte> prefix = stackalloc byte[name.Length + 1];
        Encoding.ASCII.GetBytes(name, prefix);
        prefix[^1] = (byte)'=';
        Span<byte> wanted = stackalloc byte[token.Length];
        Encoding.ASCII.GetBytes(token, wanted);
        while (environ.Length > 0)
        {
            var end = environ.IndexOf((byte)0);
            var entry = end < 0 ? environ : environ[..end];
            environ = end < 0 ? [] : environ[(end + 1)..];
            if (!entry.StartsWith(prefix))
            {
                continue;
            }
            var value = entry[prefix.Length..];
            foreach (var range in value.Split((byte)':'))
            {
                if (value[range].SequenceEqual(wanted))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static int? ParentOf(int pid)
    {
        var text = ReadBytes($"/proc/{pid}/stat");
        // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
        var close = Array.LastIndexOf(text, (byte)')');
        if (close < 0 || close + 4 >= text.Length)
        {
            return null;
        }
        var rest = Encoding.ASCII.GetString(text, close + 2, text.Length - close - 2).Split(' ');
        return rest.Length > 1 && int.TryParse(rest[1], CultureInfo.InvariantCulture, out var ppid) ? ppid : null;
    }

    private static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
