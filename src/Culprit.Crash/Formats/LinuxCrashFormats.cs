using System.Text.RegularExpressions;
using static Culprit.Crash.Formats.Patterns;

namespace Culprit.Crash.Formats;

/// <summary>
/// THE table of Linux console crash formats. Families are tried in order on each line; inside a
/// family the format whose title matches earliest in the report wins (ties go to the first listed).
/// Title formats use {1}, {2}, … for the captures of <c>Report</c> (or of <c>Title</c> when there is
/// no report regex), followed by the frames the stack rule extracts.
/// </summary>
internal static class LinuxCrashFormats
{
    private static readonly Regex? Trace = StackRule.Trace;

    private static CrashFormat F(string title, string format) => new(Format(title), format);

    private static StackRule Stack(params Regex?[] parts) => new(parts);

    private static StackRule CallTraceStack(params string[] skip) =>
        new([StackConventions.CallTrace, Trace]) { Skip = skip };

    private static StackRule RipThenCallTrace(params string[] skip) =>
        new([StackConventions.RipFrame, StackConventions.CallTrace, Trace]) { Skip = skip };

    /// <summary>
    /// Newer kernels trap on WARN and print the stack after the RIP line (powerpc64: after
    /// "--- interrupt:"); older ones just print the call trace.
    /// </summary>
    private static StackRule WarningStack(params string[] skip) => new(
        [Compile("(?:" + StackConventions.RipFramePattern + "|--- interrupt: [0-9]+ at {{FUNC}})"), Trace])
    {
        Parts2 = [StackConventions.CallTrace, Trace],
        Skip = skip,
    };

    /// <summary>
    /// Where KMSAN's origin stack starts. Not a frame: the stack before it names the bug (older
    /// KMSAN put that stack under "Call Trace:" and said "Variable was created at:" instead).
    /// </summary>
    private static readonly Regex KmsanOrigin = Compile("(?:Local variable .* created at:|Uninit was created at:)");

    private static Regex[] Suppress(params string[] patterns) => patterns.Select(Compile).ToArray();

    public static readonly IReadOnlyList<OopsFamily> Families =
    [
        new("BUG:",
        [
            F("BUG: KASAN:", "KASAN: {1} {3} in {4}") with
            {
                Report = Format(@"BUG: KASAN: ([a-z\-]+) in {{FUNC}}(?:.*\n)+?.*(Read|Write) (?:of size|at addr) (?:[0-9a-f]+)"),
                AltFormats = ["bad-access in {4}"],
                Stack = new StackRule([Compile(@"BUG: KASAN: (?:[a-z\-]+) in {{FUNC}}"), StackConventions.CallTrace, Trace])
                {
                    // Present in KASAN_HW_TAGS reports.
                    Skip = ["kernel_fault", "tag_check", "mem_abort", "^el1_", "^el1h_"],
                },
            },
            F("BUG: KASAN:", "KASAN: invalid-free in {2}") with
            {
                Report = Format("BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}"),
                AltFormats = ["invalid-free in {2}"],
                Stack = new StackRule([Compile("BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}"), StackConventions.CallTrace, Trace])
                {
                    Skip = ["slab_", "kfree", "vunmap", "vfree"],
                },
            },
            F(@"BUG: KASAN: ([a-z\-]+) on address(?:.*\n)+?.*(Read|Write) of size ([0-9]+)", "KASAN: {1} {2}"),
            F("BUG: KASAN: (.*)", "KASAN: {1}") with { Corrupted = true },
            F("BUG: KMSAN: kernel-usb-infoleak", "KMSAN: kernel-usb-infoleak in {2}") with
            {
                Report = Format("BUG: KMSAN: kernel-usb-infoleak in {{FUNC}}"),
                AltFormats = ["KMSAN origin in {3}"],
                Stack = new StackRule([Trace, KmsanOrigin, Trace])
                {
                    Parts2 = [StackConventions.CallTrace, Trace],
                    Skip = ["alloc_skb", "usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg", "usb_control_msg"],
                },
                NoStackTrace = true,
            },
            F("BUG: KMSAN:", "KMSAN: {1} in {3}") with
            {
                Report = Format(@"BUG: KMSAN: ([a-z\-]+) in {{FUNC}}"),
                AltFormats = ["bad-access in {3}"],
                Stack = new StackRule([Trace, KmsanOrigin, Trace])
                {
                    // Older KMSAN printed the access stack under "Call Trace:" and its origin as
                    // "Variable was created at:"; only the access stack names the bug then.
                    Parts2 = [StackConventions.CallTrace, Trace],
                    // Crypto code is where uninit data is hit, but a bad name for the bug.
                    Skip = ["alloc_skb", "netlink_ack", "netlink_rcv_skb", "_encrypt$", "^(?:crypto|cipher|drbg|rng)_"],
                },
                NoStackTrace = true,
            },
            F("BUG: KCSAN: data-race", "KCSAN: {1}") with { Report = Format("BUG: KCSAN: (.*)"), NoStackTrace = true },
            F("BUG: KCSAN:", "KCSAN: {1}") with { Report = Format("BUG: KCSAN: (.*)"), NoStackTrace = true },
            F("BUG: KFENCE: (use-after-free|out-of-bounds) (read|write) in {{FUNC}}", "KFENCE: {1} {2} in {4}") with
            {
                AltFormats = ["bad-access in {4}"],
                Stack = Stack(Compile(@"BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}"), Trace),
            },
            F("BUG: KFENCE: invalid free in {{FUNC}}", "KFENCE: invalid free in {2}") with
            {
                AltFormats = ["invalid-free in {2}"],
                NoStackTrace = true,
                Stack = Stack(Compile(@"BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}"), Trace),
            },
            F("BUG: KFENCE: invalid (read|write) in {{FUNC}}", "KFENCE: invalid {1} in {3}") with
            {
                AltFormats = ["bad-access in {3}"],
                Stack = Stack(Compile(@"BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}"), Trace),
            },
            F("BUG: KFENCE: memory corruption in {{FUNC}}", "KFENCE: memory corruption in {2}") with
            {
                NoStackTrace = true,
                Stack = Stack(Compile(@"BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}"), Trace),
            },
            F("BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|Unable to handle kernel data access)",
                "BUG: unable to handle kernel paging request in {1}") with
            {
                AltFormats = ["bad-access in {1}"],
                Stack = RipThenCallTrace(),
            },
            F("BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|Kernel NULL pointer dereference)",
                "BUG: unable to handle kernel NULL pointer dereference in {1}") with
            {
                AltFormats = ["bad-access in {1}"],
                Stack = RipThenCallTrace(),
            },
            // The kernel prints this header in two printk calls; the second half may be lost.
            F("BUG: (?:unable to handle kernel|Unable to handle kernel)", "BUG: unable to handle kernel") with { Corrupted = true },
            F("BUG: (spinlock|rwlock) (lockup suspected|already unlocked|recursion|cpu recursion|bad magic|wrong owner|wrong CPU|trylock failure on UP)",
                "BUG: {1} {2} in {3}") with { Stack = CallTraceStack("spin_", "_lock", "_unlock") },
            F("BUG: soft lockup", "BUG: soft lockup in {1}") with
            {
                AltFormats = ["stall in {1}"],
                Stack = RipThenCallTrace() with { Extractor = FrameExtractors.Stall },
            },
            F("BUG: .*still has locks held!", "BUG: still has locks held in {1}") with
            {
                Report = Format(@"BUG: .*still has locks held!(?:.*\n)+?.*{{PC}} +{{FUNC}}"),
            },
            F("BUG: scheduling while atomic", "BUG: scheduling while atomic in {1}") with { Stack = CallTraceStack("schedule") },
            F("BUG: lock held when returning to user space", "BUG: lock held when returning to user space in {1}") with
            {
                Report = Format(@"BUG: lock held when returning to user space(?:.*\n)+?.*leaving the kernel with locks still held(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"),
                NoStackTrace = true,
            },
            F("BUG: bad unlock balance detected!", "BUG: bad unlock balance in {1}") with
            {
                Stack = Stack(Compile("{{PC}} +{{FUNC}}"), StackConventions.CallTrace, Trace),
            },
            F("BUG: held lock freed!", "BUG: held lock freed in {1}") with
            {
                Report = Format(@"BUG: held lock freed!(?:.*\n)+?.*{{PC}} +{{FUNC}}"),
            },
            F("BUG: Bad rss-counter state", "BUG: Bad rss-counter state") with { NoStackTrace = true },
            F("BUG: non-zero nr_ptes on freeing mm", "BUG: non-zero nr_ptes on freeing mm") with { NoStackTrace = true },
            F("BUG: non-zero nr_pmds on freeing mm", "BUG: non-zero nr_pmds on freeing mm") with { NoStackTrace = true },
            // The filesystem type and block device (loop0/1/2) would split one bug into many.
            F("BUG: Dentry .* still in use", "BUG: Dentry still in use in {1}") with
            {
                Report = Format(@"BUG: Dentry .* still in use \([0-9]+\) \[(unmount) of ([^\]]+)\]"),
                AltFormats = ["BUG: Dentry still in use [{1} of {2}]"],
            },
            F("BUG: Bad page (state|cache)", "BUG: Bad page {1} in {2}") with
            {
                // arm64 shows no page origin backtrace; such reports end up corrupted.
                Stack = new StackRule([Compile("page last allocated"), Trace])
                {
                    Skip = ["(free|put|get|update|release)_page", "free_unref", "^_*folio", "truncate_inode_pages",
                        "page_frag_free", "alloc", "vmap", "page_owner"],
                },
            },
            F("BUG: Bad page map", "BUG: Bad page map"),
            // IPv6 addrconf: the address changes from run to run, the device names the bug.
            F(@"BUG: Address [0-9a-fA-F:.]+ on device ([a-zA-Z0-9_.@-]+) is missing its host route", "BUG: Address IPV6ADDR on device {1} is missing its host route.") with
            {
                NoStackTrace = true,
            },
            // Newer kernels show the busy workers of the stalled pool: the first one's work function
            // names the lockup. Older ones do not, and the title stays generic.
            F("BUG: workqueue lockup", "BUG: workqueue lockup in {1}") with
            {
                Report = Format(@"BUG: workqueue lockup(?:.*\n)+?.*Showing backtraces of busy workers in stalled worker pools:(?:.*\n)+?.*Workqueue: [a-zA-Z0-9_.-]+ ([a-zA-Z0-9_]+)"),
                NoStackTrace = true,
            },
            F("BUG: workqueue lockup", "BUG: workqueue lockup") with { NoStackTrace = true },
            F("BUG: sleeping function called from invalid context at (.*)", "BUG: sleeping function called from invalid context in {2}") with
            {
                Stack = CallTraceStack(),
            },
            F(@"BUG: using ([a-z_]+)\(\) in preemptible", "BUG: using {1}() in preemptible code in {2}") with
            {
                Stack = CallTraceStack("dump_stack", "preemption", "preempt", "debug_", "processor_id", "this_cpu"),
            },
            F("BUG: workqueue leaked lock or atomic", "BUG: workqueue leaked lock or atomic in {1}") with
            {
                Report = Format(@"BUG: workqueue leaked lock or atomic(?:.*\n)+?.*last function: ([a-zA-Z0-9_]+)\n"),
                NoStackTrace = true,
            },
            F("BUG: memory leak", "memory leak in {1}") with
            {
                Stack = new StackRule([Compile(@"backtrace(?: \(crc [0-9a-fA-F]*\))?:"), Trace])
                {
                    Skip = ["kmemleak", "mmap", "kmem", "slab", "alloc", "create_object", "idr_get", "list_lru_init",
                        "kasprintf", "kvasprintf", "pcpu_create", "strdup", "strndup", "memdup"],
                },
            },
            F("BUG: .*stack guard page was hit at", "BUG: stack guard page was hit in {1}") with
            {
                AltFormats = ["stack-overflow in {1}"],
                Stack = RipThenCallTrace() with { Extractor = FrameExtractors.Stall },
            },
            // arm/arm64 report this differently from amd64; use the amd64 title so they dedup.
            F("BUG: Invalid wait context", "WARNING: locking bug in {1}") with { Stack = CallTraceStack("lock_sock", "release_sock") },
            F(@"BUG:\s*(?:\n|$)", "BUG: corrupted") with { Corrupted = true },
        ],
        Suppress(
            "ODEBUG:",                    // CONFIG_DEBUG_OBJECTS output.
            "Boot_DEBUG:",                // Android boot messages.
            "xlog_status:",
            "DEBUG:",                     // Android ART debug output.
            "BUG: no syscalls can create resource")), // syzkaller host checks in debug mode.

        new("WARNING:",
        [
            F(@"WARNING: .*lib/debugobjects\.c.* (?:debug_print|debug_check|at)", "WARNING: ODEBUG bug in {1}") with
            {
                // Skip the users of ODEBUG too.
                Stack = WarningStack("debug_", "rcu", "hrtimer_", "timer_", "work_", "percpu_", "vunmap", "vfree", "__free_", "debug_check", "kobject_"),
            },
            F(@"WARNING: .*mm/usercopy\.c.* (?:usercopy_warn|at)", "WARNING: bad usercopy in {1}") with { Stack = WarningStack("usercopy", "__check") },
            F(@"WARNING: .*lib/kobject\.c.* (?:kobject_|at)", "WARNING: kobject bug in {1}") with { Stack = WarningStack("kobject_") },
            F(@"WARNING: .*fs/proc/generic\.c.* (?:proc_register|at)", "WARNING: proc registration bug in {1}") with { Stack = WarningStack("proc_") },
            F(@"WARNING: .*lib/refcount\.c.* (?:refcount_|at)", "WARNING: refcount bug in {1}") with { Stack = WarningStack("refcount", "kobject_") },
            F(@"WARNING: .*kernel/locking/lockdep\.c.*lock_", "WARNING: locking bug in {1}") with { Stack = WarningStack("lock_sock", "release_sock") },
            F("WARNING: .*still has locks held!", "WARNING: still has locks held in {1}") with
            {
                Report = Format(@"WARNING: .*still has locks held!(?:.*\n)+?.*at: {{FUNC}}"),
            },
            F("WARNING: Nested lock was not taken", "WARNING: nested lock was not taken in {1}") with { Stack = WarningStack() },
            F("WARNING: lock held when returning to user space", "WARNING: lock held when returning to user space in {1}") with
            {
                Report = Format(@"WARNING: lock held when returning to user space(?:.*\n)+?.*leaving the kernel with locks still held(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"),
                NoStackTrace = true,
            },
            F(@"WARNING: .*mm/.*\.c.* k?.?malloc", "WARNING: kmalloc bug in {1}") with { Stack = WarningStack("kmalloc", "krealloc", "slab", "kmem") },
            F(@"WARNING: .*mm/vmalloc.c.*__vmalloc_node", "WARNING: zero-size vmalloc in {1}") with { Stack = WarningStack() },
            F("WARNING: .* usb_submit_urb", "WARNING in {1}/usb_submit_urb") with
            {
                Stack = WarningStack("usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg", "usb_control_msg"),
            },
            // Since v6.19 the location comes first, after the failed condition when the kernel prints
            // it: "WARNING: [cond] file.c:123 at func+0x../0x.., CPU#0: comm/pid" (or "at 0x...").
            // The title names the faulting function either way, from the RIP line or the trace.
            F(@"WARNING: (?:.* )?{{SRC}} at (?:0x[0-9a-f]+|{{FUNC}}|[a-zA-Z0-9_]+,)", "WARNING in {3}") with { Stack = WarningStack() },
            F("WARNING: .* at {{SRC}} {{FUNC}}", "WARNING in {3}") with { Stack = WarningStack() },
            F("WARNING: possible circular locking dependency detected", "possible deadlock in {1}") with
            {
                Report = Format(@"WARNING: possible circular locking dependency detected(?:.*\n)+?.*is trying to acquire lock"),
                Stack = new StackRule([Compile("at: (?:{{PC}} +)?{{FUNC}}"), Compile("at: (?:{{PC}} +)?{{FUNC}}"), Trace])
                {
                    // Work items carry lockdep maps, so these deadlocks belong to the work item code.
                    Skip = ["process_one_work", "flush_workqueue", "drain_workqueue", "destroy_workqueue"],
                },
            },
            F("WARNING: possible irq lock inversion dependency detected", "possible deadlock in {1}") with
            {
                Report = Format(@"WARNING: possible irq lock inversion dependency detected(?:.*\n)+?.*just changed the state of lock(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"),
            },
            F("WARNING: .*-safe -> .*-unsafe lock order detected", "possible deadlock in {1}") with
            {
                Stack = Stack(Compile("which became (?:.*) at:"), Trace),
            },
            F("WARNING: possible recursive locking detected", "possible deadlock in {1}") with
            {
                Report = Format(@"WARNING: possible recursive locking detected(?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"),
            },
            F("WARNING: inconsistent lock state", "inconsistent lock state in {2}") with
            {
                Report = Format(@"WARNING: inconsistent lock state(?:.*\n)+?.*takes(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"),
                Stack = CallTraceStack(),
            },
            F("WARNING: suspicious RCU usage", "WARNING: suspicious RCU usage in {2}") with
            {
                Report = Format(@"WARNING: suspicious RCU usage(?:.*\n)+?.*?{{SRC}}"),
                Stack = CallTraceStack("rcu", "kmem", "slab"),
            },
            F("WARNING: kernel stack regs at [0-9a-f]+ in [^ ]* has bad '([^']+)' value", "WARNING: kernel stack regs has bad '{1}' value") with { NoStackTrace = true },
            F("WARNING: kernel stack frame pointer at [0-9a-f]+ in [^ ]* has bad value", "WARNING: kernel stack frame pointer has bad value") with { NoStackTrace = true },
            F("WARNING: bad unlock balance detected!", "WARNING: bad unlock balance in {1}") with
            {
                Stack = Stack(Compile("{{PC}} +{{FUNC}}"), StackConventions.CallTrace, Trace),
            },
            F("WARNING: held lock freed!", "WARNING: held lock freed in {1}") with
            {
                Report = Format(@"WARNING: held lock freed!(?:.*\n)+?.*at:(?: {{PC}})? +{{FUNC}}"),
            },
            F("WARNING: kernel stack regs .* has bad 'bp' value", "WARNING: kernel stack regs has bad value") with { NoStackTrace = true },
            F("WARNING: kernel stack frame pointer .* has bad value", "WARNING: kernel stack regs has bad value") with { NoStackTrace = true },
            F(@"WARNING:\s*(?:\n|$)", "WARNING: corrupted") with { Corrupted = true },
        ],
        Suppress(
            "WARNING: /etc/ssh/moduli does not exist, using fixed modulus", // sshd
            "WARNING: workqueue cpumask: online intersect > possible intersect",
            "WARNING: [Tt]he mand mount option",
            @"WARNING: Unsupported flag value\(s\) of 0x%x in DT_FLAGS_1", // glibc
            // Spectre v2 notices ("... with eIBRS on, data leaks possible", "..., data leaks possible"):
            // a boot-time or sysctl note about the configuration, not a crash.
            "WARNING: Unprivileged eBPF is enabled",
            @"WARNING: fbcon: Driver '(.*)' missed to adjust virtual screen size (\((?:[0-9]+)x(?:[0-9]+) vs\. (?:[0-9]+)x(?:[0-9]+)\))",
            "WARNING: See https.* for mitigation options.",
            "WARNING: kernel not compiled with CPU_SRSO",
            @"EXT4-[Ff][Ss](?: \(.*\))?:", // __ext4_msg
            "(?i)warning: .* uses (deprecated v2 capabilities|wireless extensions)",
            @"XFS \([a-zA-Z0-9_]+\): WARNING")),

        new("INFO:",
        [
            F("INFO: possible circular locking dependency detected", "possible deadlock in {1}") with
            {
                Report = Format(@"INFO: possible circular locking dependency detected \](?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: {{PC}} +{{FUNC}}"),
            },
            F("INFO: possible irq lock inversion dependency detected", "possible deadlock in {1}") with
            {
                Report = Format(@"INFO: possible irq lock inversion dependency detected \](?:.*\n)+?.*just changed the state of lock(?:.*\n)+?.*at: {{PC}} +{{FUNC}}"),
            },
            F("INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected", "possible deadlock in {1}") with
            {
                Report = Format(@"INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected \](?:.*\n)+?.*is trying to acquire(?:.*\n)+?.*at: {{PC}} +{{FUNC}}"),
            },
            F("INFO: possible recursive locking detected", "possible deadlock in {1}") with
            {
                Report = Format(@"INFO: possible recursive locking detected \](?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: {{PC}} +{{FUNC}}"),
            },
            F("INFO: inconsistent lock state", "inconsistent lock state in {1}") with
            {
                Report = Format(@"INFO: inconsistent lock state \](?:.*\n)+?.*takes(?:.*\n)+?.*at: {{PC}} +{{FUNC}}"),
            },
            F("INFO: rcu_(?:preempt|sched|bh) (?:self-)?detected(?: expedited)? stall", "INFO: rcu detected stall in {1}") with
            {
                AltFormats = ["stall in {1}"],
                Stack = new StackRule([Compile("apic_timer_interrupt"), StackConventions.RipFrame, Trace])
                {
                    Parts2 = [Compile("(?:apic_timer_interrupt|Exception stack|el1h_64_irq)"), Trace],
                    Skip = ["apic_timer_interrupt", "rcu"],
                    Extractor = FrameExtractors.Stall,
                },
            },
            F("INFO: rcu_tasks(?:_trace|_rude)? detected stalls? on tasks", "INFO: rcu detected stall in {1}") with
            {
                AltFormats = ["stall in {1}"],
                Stack = new StackRule([Compile("apic_timer_interrupt"), StackConventions.RipFrame, Trace])
                {
                    Parts2 = [Compile("(?:apic_timer_interrupt|Exception stack|el1h_64_irq)"), Trace],
                    Skip = ["apic_timer_interrupt", "rcu"],
                    Extractor = FrameExtractors.Stall,
                },
            },
            F("INFO: trying to register non-static key", "INFO: trying to register non-static key in {1}") with
            {
                Stack = CallTraceStack("stack", "lock", "IRQ"),
            },
            F("INFO: suspicious RCU usage", "INFO: suspicious RCU usage in {2}") with
            {
                Report = Format(@"INFO: suspicious RCU usage(?:.*\n)+?.*?{{SRC}}"),
                Stack = CallTraceStack("rcu", "kmem", "slab"),
            },
            // A task name may hold a newline of its own. Newer kernels tell a task waiting for I/O
            // ("blocked in I/O wait for more than") from others; both are the same hang.
            F(@"INFO: task .*(?:\n.*)? blocked (?:in I/O wait )?for more than [0-9]+ seconds", "INFO: task hung in {1}") with
            {
                AltFormats = ["hang in {1}"],
                Stack = CallTraceStack() with { Extractor = FrameExtractors.HungTask },
            },
            F("INFO: task .* can't die for more than .* seconds", "INFO: task can't die in {1}") with
            {
                AltFormats = ["hang in {1}"],
                Stack = CallTraceStack("schedule"),
            },
            // What is left of old-style KASAN reports that lost their header.
            F("INFO: (Freed|Allocated) in (.*)", "INFO: {1} in {2}") with { Corrupted = true },
            F(@"INFO:\s*(?:\n|$)", "INFO: corrupted") with { Corrupted = true },
        ],
        Suppress(
            "INFO: lockdep is turned off",
            "INFO: Stall ended before state dump start",
            "INFO: NMI handler",
            "INFO: recovery required on readonly filesystem",
            "(handler|interrupt).*took too long",
            "INFO: sys_.* is not present in /proc/kallsyms", // syzkaller host checks in debug mode
            "INFO: no syscalls can create resource",
            "rmt_storage:INFO:",                             // Android
            "_INFO:")),                                      // "INVALID BTF_INFO:NUM"

        new("Unable to handle kernel",
        [
            F("Unable to handle kernel (paging request|NULL pointer dereference|access to user memory)", "BUG: unable to handle kernel {1} in {2}") with
            {
                AltFormats = ["bad-access in {2}"],
                Stack = RipThenCallTrace(),
            },
        ], []),

        new("general protection fault",
        [
            F("general protection fault.*:", "general protection fault in {1}") with
            {
                AltFormats = ["bad-access in {1}"],
                Stack = RipThenCallTrace(),
            },
        ],
        // A user-space process fault logged by show_signal_msg.
        Suppress(@"general protection fault .* error:[0-9]+ in ")),

        new("stack segment: ",
        [
            F("stack segment: ", "stack segment fault in {1}") with { Stack = RipThenCallTrace() },
        ], []),

        new("Kernel panic",
        [
            // With a smashed stack the kernel may fail to print the function name or to unwind.
            F("Kernel panic - not syncing: stack-protector:", "kernel panic: stack is corrupted in {1}") with
            {
                Report = Format("Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: {{FUNC}}"),
                NoStackTrace = true,
            },
            F("Kernel panic - not syncing: stack-protector:", "kernel panic: stack is corrupted in {1}") with
            {
                Report = Format("Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: [a-f0-9]+"),
                Stack = CallTraceStack("stack_chk"),
            },
            F("Kernel panic - not syncing: corrupted stack end", "kernel panic: corrupted stack end in {1}") with
            {
                Report = Format("Kernel panic - not syncing: corrupted stack end detected inside scheduler"),
                AltFormats = ["stack-overflow in {1}"],
                Stack = CallTraceStack("schedule", "retint_kernel") with { Extractor = FrameExtractors.Stall },
            },
            F("Kernel panic - not syncing: kernel stack overflow", "kernel stack overflow in {1}") with
            {
                AltFormats = ["stack-overflow in {1}"],
                Stack = CallTraceStack("bad_stack") with { Extractor = FrameExtractors.Stall },
            },
            F("Kernel panic - not syncing: Attempted to kill init!", "kernel panic: Attempted to kill init!"),
            F("Kernel panic - not syncing: Couldn't open N_TTY ldisc for [^ ]+ --- error -[0-9]+", "kernel panic: Couldn't open N_TTY ldisc"),
            // These follow a BUG, a WARNING or a hung task report: seeing them as the title means
            // the real header was lost.
            F("Kernel panic - not syncing: Fatal exception", "kernel panic: Fatal exception") with { Corrupted = true },
            F("Kernel panic - not syncing: panic_on_warn set", "kernel panic: panic_on_warn set") with { Corrupted = true },
            F("Kernel panic - not syncing: hung_task: blocked tasks", "kernel panic: hung_task: blocked tasks") with { Corrupted = true },
            F("Kernel panic - not syncing: (.*)", "kernel panic: {1}"),
        ], []),

        new("PANIC: double fault",
        [
            F("PANIC: double fault", "PANIC: double fault in {1}") with { Stack = Stack(StackConventions.RipFrame) },
        ], []),

        new("rust_kernel: panicked",
        [
            F("rust_kernel: panicked", "{1} in {2}") with
            {
                Report = Format(@"rust_kernel: panicked at [^\n]*?\n(.+?)\n"),
                Stack = CallTraceStack(Regex.Escape("__rustc::rust_begin_unwind")),
            },
        ], []),

        new("kernel BUG",
        [
            F("kernel BUG at mm/usercopy.c", "BUG: bad usercopy in {1}") with { Stack = CallTraceStack("usercopy", "__check") },
            F("kernel BUG at lib/list_debug.c", "BUG: corrupted list in {1}") with
            {
                AltFormats = ["bad-access in {1}"], // often memory corruption or a race
                Stack = CallTraceStack(),
            },
            // Many skb helpers BUG_ON their arguments; the bug is in the caller.
            F("kernel BUG at (.*)", "kernel BUG in {2}") with { Stack = RipThenCallTrace("^skb_") },
        ], []),

        new("Kernel BUG", [F("Kernel BUG (.*)", "kernel BUG {1}")], []),

        new("BUG kmalloc-", [F("BUG kmalloc-.*: Object already free", "BUG: Object already free")], []),

        new("divide error:", [F("divide error: ", "divide error in {1}") with { Stack = Stack(StackConventions.RipFrame) }], []),

        // Misspelling introduced by 9d06c4027f21 ("x86/entry: Convert Divide Error to IDTENTRY").
        new("divide_error:", [F("divide_error: ", "divide error in {1}") with { Stack = Stack(StackConventions.RipFrame) }], []),

        // A breakpoint trap in kernel code ("Oops: int3: 0000 [#1] ...").
        new("int3: ", [F("int3: ", "int3 in {1}") with { Stack = RipThenCallTrace() }], []),

        new("invalid opcode:", [F("invalid opcode: ", "invalid opcode in {1}") with { Stack = Stack(StackConventions.RipFrame) }], []),

        new("UBSAN:",
        [
            F("UBSAN:", "UBSAN: undefined-behaviour in {1}") with
            {
                Report = Format("UBSAN: Undefined behaviour in"),
                Stack = CallTraceStack("ubsan", "overflow"),
            },
            F("UBSAN: array-index-out-of-bounds in", "UBSAN: array-index-out-of-bounds in {1}") with
            {
                AltFormats = ["bad-access in {1}"],
                Stack = CallTraceStack("ubsan", "overflow"),
            },
            F("UBSAN:", "UBSAN: {1} in {2}") with
            {
                Report = Format("UBSAN: (.*?) in"),
                Stack = CallTraceStack("ubsan", "overflow"),
            },
        ], []),

        new("Booting the kernel.",
        [
            F("^Booting the kernel", "unexpected kernel reboot") with { NoStackTrace = true },
        ],
        // The fuzzer may read old boot messages from the console and pass them as a mount option,
        // which the kernel then echoes back.
        Suppress("Parsing ELF|Decompressing Linux|Unknown parameter '")),

        new("unregister_netdevice: waiting for",
        [
            F("unregister_netdevice: waiting for (?:.*) to become free", "unregister_netdevice: waiting for DEV to become free") with { NoStackTrace = true },
        ], []),

        // Printed by older kernels' VFS.
        new("VFS: Close: file count is 0",
        [
            F("VFS: Close: file count is 0", "VFS: Close: file count is zero (use-after-free)") with { NoStackTrace = true },
        ], []),

        new("VFS: Busy inodes after unmount",
        [
            F("VFS: Busy inodes after unmount", "VFS: Busy inodes after unmount (use-after-free)") with { NoStackTrace = true },
        ], []),

        new("Internal error:",
        [
            // arm64 "synchronous external abort" is arm's "Unable to handle kernel paging request".
            F("Internal error:", "Internal error in {1}") with { AltFormats = ["bad-access in {1}"], Stack = RipThenCallTrace() },
        ], []),

        new("Unhandled fault:",
        [
            // arm's form of x86's NULL-deref general protection fault.
            F("Unhandled fault:", "Unhandled fault in {1}") with { AltFormats = ["bad-access in {1}"], Stack = RipThenCallTrace() },
        ], []),

        new("Alignment trap:", [F("Alignment trap:", "Alignment trap in {1}") with { Stack = RipThenCallTrace() }], []),

        new("trusty: panic",
        [
            F("trusty: panic.* ASSERT FAILED", "trusty: ASSERT FAILED: {1}") with
            {
                Report = Format(@"trusty: panic \(.*?\):(?: DEBUG)? ASSERT FAILED at \(.*?\): (.+)"),
                NoStackTrace = true,
            },
            F("trusty: panic.* ASSERT FAILED.*: *(.*)", "trusty: ASSERT FAILED: {1}") with { Corrupted = true },
            F("trusty: panic", "trusty: panic: {1}") with { Report = Format(@"trusty: panic \(.*?\): (.+)"), NoStackTrace = true },
        ], []),

        // Go runtime crashes (syzkaller's own tools).
        new("fatal error:", [F("fatal error:", "go runtime error") with { NoStackTrace = true }],
            Suppress("ALSA", "fatal error: cannot create timer")),

        // syz-executor's fail() and log.Fatal.
        new("SYZFAIL:", [F("SYZFAIL:(.*)", "SYZFAIL:{1}") with { NoStackTrace = true }], []),
        new("SYZFATAL:", [F("SYZFATAL:(.*)()", "SYZFATAL:{1}") with { AltFormats = ["SYZFATAL{2}"], NoStackTrace = true }], []),

        new("panic:",
        [
            F("panic: Sentry detected .* stuck task", "panic: Sentry detected stuck tasks") with { NoStackTrace = true },
            F("panic:(.*)", "panic:{1}") with { NoStackTrace = true },
        ],
        Suppress(
            "_panic:", // kernel functions such as skb_panic, skb_over_panic
            "/panic:", // a path that ends in "panic" (/sys/module/kernel/parameters/panic) in an error message
            "xlog_status:",
            @"ddb\.onpanic:",
            "evtlog_status:")),
    ];

    /// <summary>Report headers that may appear inside another report without starting a new one.</summary>
    public static readonly string[] ReportStartIgnores =
    [
        "invalid opcode: 0000",
        "Kernel panic - not syncing",
        "unregister_netdevice: waiting for",
        // A double fault often happens while handling a paging fault of a corrupted memory.
        "PANIC: double fault",
        "Internal error:",
    ];

    /// <summary>Messages that are not bugs but print a stack, which may interleave with a report.</summary>
    public static readonly string[] InfoMessagesWithStack =
    [
        "vmalloc: allocation failure:",
        "FAULT_INJECTION: forcing a failure",
        "FAULT_FLAG_ALLOW_RETRY missing",
    ];

    /// <summary>Output that means the machine, not the kernel, failed (out of memory, executor crash).</summary>
    public static readonly Regex[] Suppressions = Suppress(
        "panic: failed to start executor binary",
        "panic: executor failed: pthread_create failed",
        "panic: failed to create temp dir",
        "fatal error: unexpected signal during runtime execution", // probably OOM turned into SIGBUS
        "signal SIGBUS: bus error",
        "SYZFAIL: SIGBUS",
        @"Out of memory: Kill process .* \(syz-executor\)",
        @"Out of memory: Kill process .* \(sshd\)",
        @"Killed process .* \(syz-executor\)",
        @"Killed process .* \(sshd\)",
        "lowmemorykiller: Killing 'syz-executor'",
        "lowmemorykiller: Killing 'sshd'",
        "INIT: PANIC: segmentation violation!",
        @"\*\*\* stack smashing detected \*\*\*: terminated",
        "fatal error: runtime: out of memory",
        "fatal error: runtime: cannot allocate memory",
        "fatal error: out of memory",
        "fatal error: newosproc",
        "panic: .*cannot allocate memory");

    /// <summary>Each suppression above contains one of these; a window without them needs no regex.</summary>
    public static readonly string[] SuppressionWordList =
    [
        "panic: ", "fatal error: ", "signal SIGBUS", "SYZFAIL: SIGBUS", "Out of memory: Kill process", "Killed process",
        "lowmemorykiller: Killing", "INIT: PANIC", "stack smashing detected",
    ];

    /// <summary>Sometimes a timestamp lands in the middle of the title line.</summary>
    public static readonly Regex CorruptedTitle = Compile(@"\[ *[0-9]+\.[0-9]+\]");

    /// <summary>GCE's serial console drops with this right after a panic, truncating the report.</summary>
    public const string ConsoleHangup = "serialport: VM disconnected.";
}
