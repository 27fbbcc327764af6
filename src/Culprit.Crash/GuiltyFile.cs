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
    // The specification of FileIn (a test holds them to each other on the corpus).
    internal static readonly Regex FileName = new(@"([a-zA-Z0-9_\-./]*[a-zA-Z0-9_\-]+\.(c|h)):[0-9]+", Patterns.Options);

    // A slash and at least one more directory level before a .c/.h file.
    private static readonly Regex DeeperPath = new(@"^/[a-zA-Z0-9_\-./]+/[a-zA-Z0-9_\-]+\.(c|h)$", Patterns.Options);

    // Where interrupts were last switched, register dumps and the list of held locks say where
    // the task has been, not where the bug is.
    private static readonly Regex IgnoredLine = new(@"(hardirqs|softirqs)\s+last\s+(enabled|disabled)|^Register r[0-9]+ information|^ *#[0-9]+: [0-9a-f]+ \(", Patterns.Options);

    private static readonly Regex Ignores = new(string.Join("|", new[]
    {
        @".*\.h", "^lib/.*", "^virt/lib/.*", "^mm/kasan/.*", "^mm/kmsan/.*", "^kernel/kcov.c", "^mm/sl.b.c",
        "^mm/filemap.c", "^mm/folio-compat.c", "^mm/truncate.c", "^mm/memory.c", "^mm/percpu.*", "^mm/vmalloc.c",
        "^mm/page_alloc.c", "^mm/mempool.c", "^mm/util.c", "^kernel/rcu/.*", "^arch/.*/kernel/traps.c",
        "^arch/.*/kernel/unwind.*.c", "^arch/.*/mm/fault.c", "^arch/.*/mm/physaddr.c", "^arch/.*/kernel/stacktrace.c",
        "^arch/.*/kernel/apic/apic.c", "^arch/arm64/kernel/entry.*.c", @"^arch/arm64/kernel/process\.c",
        "^kernel/locking/.*", "^kernel/panic.c", "^kernel/printk/printk.*.c", "^kernel/softirq.c", "^kernel/kthread.c",
        "^kernel/sched/.*.c", "^kernel/stacktrace.c", "^kernel/task_work.c", "^kernel/time/sleep_timeout.c", "^kernel/time/timer.c", "^kernel/workqueue.c", "^net/core/dev.c",
        "^net/core/sock.c", "^net/core/skbuff.c", "^fs/proc/generic.c",
        "^trusty/",                 // not in the kernel tree
        "^drivers/usb/core/urb.c",  // a WARNING there is a driver bug
        "^arch/.*/lib/crc.*",       // crashes there come from the caller
    }.Select(p => "(?:" + p + ")")), Patterns.Options);

    private static readonly string[] InterruptEntries = ["apic_timer_interrupt+0x", "el1h_64_irq+0x", "Exception stack"];

    /// <summary>The guilty file of the report text <c>report[start..]</c>.</summary>
    public static string? Find(string title, string report, int start)
    {
        if (title.StartsWith("INFO: rcu detected stall", StringComparison.Ordinal))
        {
            // Stalls have many generic frames on top; start from the interrupt entry instead.
            foreach (var entry in InterruptEntries)
            {
                int pos = report.IndexOf(entry, start, StringComparison.Ordinal);
                if (pos >= 0 && FindIn(report, pos) is { } file)
                    return file;
            }
        }
        return FindIn(report, start);
    }

    /// <summary>The guilty file in <c>report[start..]</c>, read as if that were the whole report.</summary>
    private static string? FindIn(string report, int start)
    {
        // Only the few lines that hold a ".c:" or ".h:" can name a source file: jump from one to
        // the next instead of looking at every line.
        var suffixes = new ForwardSearch(report, SourceSuffixes);
        string guilty = "";
        int pos = start;
        while (NextCandidateLine(report, start, ref suffixes, ref pos, out int lineStart, out int end))
        {
            if (FileIn(report, lineStart, end) is not { } file)
                continue;
            if (guilty.Length == 0)
                guilty = file; // better any file than nobody to mail
            if (IsIgnored(file, report, lineStart, end))
                continue;
            guilty = CleanPath(file);
            break;
        }
        if (guilty.Length == 0)
            return null;
        string deepest = DirName(guilty);
        while (NextCandidateLine(report, start, ref suffixes, ref pos, out int lineStart, out int end))
        {
            if (FileIn(report, lineStart, end) is not { } file || IsIgnored(file, report, lineStart, end))
                continue;
            string clean = CleanPath(file);
            if (clean.StartsWith(deepest, StringComparison.Ordinal) && DeeperPath.IsMatch(clean.AsSpan(deepest.Length)))
            {
                guilty = clean;
                deepest = DirName(guilty);
            }
        }
        return guilty;
    }

    /// <summary>
    /// The first line at or after <paramref name="pos"/> (a line start) that holds a source
    /// suffix; <paramref name="pos"/> moves past it. The first line begins at <paramref name="start"/>.
    /// </summary>
    private static bool NextCandidateLine(string report, int start, ref ForwardSearch suffixes, ref int pos, out int lineStart, out int lineEnd)
    {
        lineStart = lineEnd = 0;
        if (pos > report.Length)
        {
            return false;
        }
        int hit = suffixes.Next(pos);
        if (hit >= report.Length)
        {
            pos = report.Length + 1;
            return false;
        }
        lineStart = Math.Max(start, report.LastIndexOf('\n', hit) + 1);
        lineEnd = TextLines.End(report, hit);
        pos = lineEnd + 1;
        return true;
    }

    /// <summary>
    /// The first "path.c:123" of the line, if any: what <see cref="FileName"/> captures, found by
    /// hand because it runs on every line of every report. A path is a run of path characters,
    /// and a ':' ends any run, so a match ends where its run ends: at the first ".c:"/".h:" that
    /// follows a name character and precedes a digit, and it starts where that run starts.
    /// </summary>
    internal static string? FileIn(string text, int start, int end)
    {
        var line = text.AsSpan(start, end - start);
        for (int from = 0; from < line.Length;)
        {
            int hit = SourceSuffixes.IndexOfAny(line[from..]);
            if (hit < 0)
                return null;
            int dot = from + hit;
            if (dot > 0 && IsNameChar(line[dot - 1]) && dot + 3 < line.Length && char.IsAsciiDigit(line[dot + 3]))
            {
                int runStart = dot - 1;
                while (runStart > 0 && IsPathChar(line[runStart - 1]))
                    runStart--;
                return line[runStart..(dot + 2)].ToString();
            }
            from = dot + 1;
        }
        return null;
    }

    private static readonly LiteralSearch SourceSuffixes = new([".c:", ".h:"]);

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    private static bool IsPathChar(char c) => IsNameChar(c) || c is '.' or '/';

    private static bool IsIgnored(string file, string text, int start, int end)
    {
        var line = text.AsSpan(start, end - start);
        return Ignores.IsMatch(file) || IgnoredLine.IsMatch(line) || IsSkippedFrame(line, file);
    }

    /// <summary>
    /// Whether the line is a frame ("name+0x1a/0x40 path.c:12" or "name path.c:12 [inline]") of a
    /// function the title skips too (<see cref="StackConventions.SkipPatterns"/>): a function that
    /// reports its caller's misuse (ifs_free's WARNING about the folio state its filesystem left,
    /// mark_buffer_dirty's) is no more to blame than the file it lives in.
    /// </summary>
    private static bool IsSkippedFrame(ReadOnlySpan<char> line, string file)
    {
        // The file may come twice ("WARNING: fs/x.c:12 at name+0x1/0x2 fs/x.c:11, CPU#0").
        for (int from = 0; from < line.Length;)
        {
            int at = line[from..].IndexOf(file, StringComparison.Ordinal);
            if (at < 0)
                return false;
            if (IsSkippedFrameAt(line, from + at))
                return true;
            from += at + file.Length;
        }
        return false;
    }

    // The word before the file ("name+0x1a/0x40", "0010:name+0x1a/0x40", "name" of an inlined frame),
    // cut at its offset, names the function.
    private static bool IsSkippedFrameAt(ReadOnlySpan<char> line, int fileStart)
    {
        if (fileStart <= 0 || line[fileStart - 1] != ' ')
            return false;
        var word = line[..fileStart].TrimEnd(' ');
        word = word[(word.LastIndexOfAny(" :([") + 1)..];
        int plus = word.IndexOf('+');
        var name = plus < 0 ? word : word[..plus];
        if (name.IsEmpty || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || name.ContainsAnyExcept(FunctionChars))
            return false;
        return SkipMatcher.Create([]).IsMatch(name.ToString());
    }

    private static readonly System.Buffers.SearchValues<char> FunctionChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");

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
