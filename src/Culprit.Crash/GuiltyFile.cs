using System.Text.RegularExpressions;
using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>
/// The source file most likely to hold the bug: the first file in the report's frames that is not
/// generic infrastructure (headers, lib/, sanitizers, allocators, locking, scheduler, core net…),
/// refined to a deeper file of the same directory further down the stack.
/// </summary>
internal static class GuiltyFile
{
    private static readonly Regex FileName = new(@"([a-zA-Z0-9_\-./]*[a-zA-Z0-9_\-]+\.(c|h)):[0-9]+", Patterns.Options);

    // A slash and at least one more directory level before a .c/.h file.
    private static readonly Regex DeeperPath = new(@"^/[a-zA-Z0-9_\-./]+/[a-zA-Z0-9_\-]+\.(c|h)$", Patterns.Options);

    // Where interrupts were last switched, register dumps and the list of held locks say where
    // the task has been, not where the bug is.
    private static readonly Regex IgnoredLine = new(@"(hardirqs|softirqs)\s+last\s+(enabled|disabled)|^Register r[0-9]+ information|^ *#[0-9]+: [0-9a-f]+ \(", Patterns.Options);

    private static readonly Regex[] Ignores = new[]
    {
        @".*\.h", "^lib/.*", "^virt/lib/.*", "^mm/kasan/.*", "^mm/kmsan/.*", "^kernel/kcov.c", "^mm/sl.b.c",
        "^mm/filemap.c", "^mm/folio-compat.c", "^mm/truncate.c", "^mm/memory.c", "^mm/percpu.*", "^mm/vmalloc.c",
        "^mm/page_alloc.c", "^mm/mempool.c", "^mm/util.c", "^kernel/rcu/.*", "^arch/.*/kernel/traps.c",
        "^arch/.*/kernel/unwind.*.c", "^arch/.*/mm/fault.c", "^arch/.*/mm/physaddr.c", "^arch/.*/kernel/stacktrace.c",
        "^arch/.*/kernel/apic/apic.c", "^arch/arm64/kernel/entry.*.c", @"^arch/arm64/kernel/process\.c",
        "^kernel/locking/.*", "^kernel/panic.c", "^kernel/printk/printk.*.c", "^kernel/softirq.c", "^kernel/kthread.c",
        "^kernel/sched/.*.c", "^kernel/stacktrace.c", "^kernel/time/timer.c", "^kernel/workqueue.c", "^net/core/dev.c",
        "^net/core/sock.c", "^net/core/skbuff.c", "^fs/proc/generic.c",
        "^trusty/",                 // not in the kernel tree
        "^drivers/usb/core/urb.c",  // a WARNING there is a driver bug
        "^arch/.*/lib/crc.*",       // crashes there come from the caller
    }.Select(p => new Regex(p, Patterns.Options)).ToArray();

    private static readonly string[] InterruptEntries = ["apic_timer_interrupt+0x", "el1h_64_irq+0x", "Exception stack"];

    public static string? Find(string title, string report)
    {
        if (title.StartsWith("INFO: rcu detected stall", StringComparison.Ordinal))
        {
            // Stalls have many generic frames on top; start from the interrupt entry instead.
            foreach (var entry in InterruptEntries)
            {
                int pos = report.IndexOf(entry, StringComparison.Ordinal);
                if (pos >= 0 && FindIn(report[pos..]) is { } file)
                    return file;
            }
        }
        return FindIn(report);
    }

    private static string? FindIn(string report)
    {
        var lines = report.Split('\n');
        string guilty = "";
        int i = 0;
        for (; i < lines.Length; i++)
        {
            if (!MayNameFile(lines[i]))
                continue;
            var m = FileName.Match(lines[i]);
            if (!m.Success)
                continue;
            string file = m.Groups[1].Value;
            if (guilty.Length == 0)
                guilty = file; // better any file than nobody to mail
            if (IsIgnored(file, lines[i]))
                continue;
            guilty = CleanPath(file);
            i++;
            break;
        }
        if (guilty.Length == 0)
            return null;
        string deepest = DirName(guilty);
        for (; i < lines.Length; i++)
        {
            if (!MayNameFile(lines[i]))
                continue;
            var m = FileName.Match(lines[i]);
            if (!m.Success)
                continue;
            string file = m.Groups[1].Value;
            if (IsIgnored(file, lines[i]))
                continue;
            string clean = CleanPath(file);
            if (clean.StartsWith(deepest, StringComparison.Ordinal) && DeeperPath.IsMatch(clean[deepest.Length..]))
            {
                guilty = clean;
                deepest = DirName(guilty);
            }
        }
        return guilty;
    }

    private static bool MayNameFile(string line) =>
        line.Contains(".c:", StringComparison.Ordinal) || line.Contains(".h:", StringComparison.Ordinal);

    private static bool IsIgnored(string file, string line) => Ignores.Any(r => r.IsMatch(file)) || IgnoredLine.IsMatch(line);

    private static string DirName(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path[..slash];
    }

    /// <summary>Lexical clean-up of a path like Go's filepath.Clean ("a//b/./c/../d" → "a/b/d").</summary>
    private static string CleanPath(string path)
    {
        bool rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
                continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
                parts.RemoveAt(parts.Count - 1);
            else if (part != ".." || !rooted)
                parts.Add(part);
        }
        string joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }
}
