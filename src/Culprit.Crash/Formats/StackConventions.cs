using System.Text.RegularExpressions;

namespace Culprit.Crash.Formats;

/// <summary>How Linux prints stack traces, and which frames never name a bug.</summary>
internal static class StackConventions
{
    /// <summary>The faulting instruction line: x86 <c>RIP:</c>, powerpc <c>NIP</c>, arm <c>pc :</c> / <c>PC is at</c>.</summary>
    public const string RipFramePattern =
        @"(?:IP|NIP|pc |PC is at):? (?:(?:[0-9]+:)?(?:{{PC}} +){0,2}{{FUNC}}|(?:[0-9]+:)?0x[0-9a-f]+|(?:[0-9]+:)?{{PC}} +\[< *\(null\)>\] +\(null\)|[0-9]+: +\(null\))";

    public static readonly Regex RipFrame = Patterns.Compile(RipFramePattern);

    public static readonly Regex CallTrace = Patterns.Compile(@"(?:Call (?:T|t)race:)|(?:Backtrace:)");

    /// <summary>Lines that open a stack trace; a frame search stops at the next one.</summary>
    public static readonly Regex[] StackStarts =
    [
        Patterns.Compile("Call (?:T|t)race"),
        Patterns.Compile("Allocated:"),
        Patterns.Compile("Allocated by task [0-9]+:"),
        Patterns.Compile("Freed:"),
        Patterns.Compile("Freed by task [0-9]+:"),
        // "backtrace:" of kmemleak (with an optional crc), but not lockdep's "stack backtrace:".
        Patterns.Compile(@"[^k] backtrace(?: \(crc [0-9a-fA-F]*\))?:"),
        Patterns.Compile("Backtrace:"),
        Patterns.Compile("Uninit was stored to memory at"),
    ];

    /// <summary>
    /// For each of <see cref="StackStarts"/>, the words one of which every match holds, and how far
    /// after the match start the word begins: a report without the words needs no regex, and one
    /// with them needs it only from the first word on.
    /// </summary>
    public static readonly (string[] Words, int Lead)[] StackStartWords =
    [
        (["Call Trace", "Call trace"], 0),
        (["Allocated"], 0),
        (["Allocated"], 0),
        (["Freed"], 0),
        (["Freed"], 0),
        (["backtrace"], 2),
        (["Backtrace:"], 0),
        (["Uninit was stored"], 0),
    ];

    /// <summary>
    /// Stack frame lines; each capture is a function name. The specification of
    /// <see cref="FrameLineMatcher.Frame"/>, which matches them by hand on the hot path.
    /// </summary>
    public static readonly Regex[] FrameLines =
    [
        Patterns.Compile("^ *(?:{{PC}} ){0,2}{{FUNC}}"),
        // arm prints "[<pc>] (callee) from [<pc>] (caller+0x..)": both are frames, and the top one
        // appears nowhere else.
        Patterns.Compile(@"^ *{{PC}} \(([a-zA-Z0-9_.]+)\) from {{PC}} \({{FUNC}}"),
    ];

    /// <summary>
    /// Fault injection prints its own stack in the middle of reports; a frame search that meets
    /// it cannot trust what it has found.
    /// </summary>
    public static readonly Regex[] CorruptedLines =
    [
        Patterns.Compile(@"^( \[<?(?:0x)?[0-9a-f]+>?\])? should_fail(slab)?(\.[a-z0-9.]+)?\+0x"),
    ];

    /// <summary>Syscall wrapper prefixes differ between architectures and kernel versions.</summary>
    public static readonly string[] StripFramePrefixes =
    [
        "SYSC_", "SyS_", "sys_", "__x64_", "__ia32_", "__arm64_", "____sys_", "___sys_", "__sys_",
        "__se_", "__se_sys_", "__do_sys_", "compat_SYSC_", "compat_SyS_", "ksys_",
    ];

    /// <summary>
    /// Frames that are reporting machinery, sanitizers, locking, allocation, string and list
    /// helpers: the bug is in their caller. Regexes, matched anywhere in the function name.
    /// </summary>
    public static readonly string[] SkipPatterns =
    [
        "__sanitizer", "__asan", "kasan", "hwasan", "__msan", "kmsan", "kcsan_setup_watchpoint",
        "check_memory_region", "check_heap_object", "check_object", "read_word_at_a_time",
        "(read|write)_once_.*nocheck", "print_address_description", "panic", "invalid_op",
        "report_bug", "fixup_bug", "print_report", "print_usage_bug", "do_error", "_trap$|do_trap",
        "show_stack", "dump_stack", "walk_stack", "dump_backtrace", "warn_slowpath", "warn_alloc",
        "warn_bogus", "__warn", "alloc_page", "k?v?(?:m|z|c)alloc", "krealloc", "kmem_cache",
        "allocate_slab", "__alloc_frozen_pages_noprof", "folio_(?:alloc|unlock)", "filemap_alloc_folio",
        "__filemap_get_folio", "find_or_create_page", "do_read_cache_folio", "read_cache_page",
        "pagecache_get_page", "grab_cache_page_write_begin", "slab_", "debug_object",
        "timer_is_static_object", "work_is_static_object", "__might_fault", "print_unlock",
        "imbalance_bug", "^valid_state$", "lockdep", "bh_enable", "bh_disable", "perf_trace", "lock_acquire",
        "lock_release", "lock_class", "mark_lock", "(reacquire|mark)_held_locks", "raw_spin_rq",
        "spin_lock", "spin_trylock", "spin_unlock", "read_lock", "read_trylock", "write_lock",
        "write_trylock", "read_unlock", "write_unlock", "^down$", "down_read", "down_write",
        "down_read_trylock", "down_write_trylock", "down_trylock", "up_read", "up_write", "^mutex_",
        "^__mutex_", "^rt_mutex_", "^lock_sock", "^release_sock$", "owner_on_cpu", "osq_lock", "osq_unlock",
        "atomic(64)?_(dec|inc|read|set|or|xor|and|add|sub|fetch|xchg|cmpxchg|try)",
        "(set|clear|change|test)_bit", "__wake_up", "^refcount_", "^kref_", "ref_tracker",
        "seqprop_assert", "memcpy", "memcmp", "memset", "memchr", "memmove", "memdup", "strcmp",
        "strncmp", "strcpy", "strlcpy", "strncpy", "strscpy", "strlen", "strstr", "strnstr", "strnlen",
        "strchr", "strdup", "strndup", "copy_to_user", "copy_from_user", "copy_to_iter",
        "copy_from_iter", "copy_page_to_iter", "copy_page_from_iter", "copy_folio_to_iter",
        "^copyin$", "^copyout$", "put_user", "get_user", "might_fault", "might_sleep", "list_add",
        "list_del", "list_replace", "list_move", "list_splice", "^rb_", "^__rb_",
        "_indirect_thunk_", // retpolines
        "string", "pointer", "snprintf", "scnprintf", "kasprintf", "kvasprintf", "printk",
        "va_format", "dev_info", "dev_notice", "dev_warn", "dev_err", "dev_alert", "dev_crit",
        "dev_emerg", "program_check_exception", "program_check_common", "del_timer", "flush_work",
        "__cancel_work_timer", "cancel_work_sync", "try_to_grab_pending", "flush_workqueue",
        "drain_workqueue", "destroy_workqueue", "queue_work", "finish_wait", "kthread_stop",
        "kobject_", "add_uevent_var", "get_device_parent", "device_add", "device_del",
        "device_unregister", "device_destroy", "device_release", "devres_release_all",
        "hwrng_unregister", "i2c_del_adapter", "__unregister_client", "device_for_each_child",
        "rollback_registered", "unregister_netdev", "sysfs_remove", "device_remove_file",
        "tty_unregister_device", "dummy_urb_enqueue", "usb_kill_urb", "usb_kill_anchored_urbs",
        "usb_control_msg", "usb_hcd_submit_urb", "usb_submit_urb", "^complete$",
        "wait_for_completion", "^kv?free$", "kfree_skb", "readb$", "readw$", "readl$", "readq$",
        "writeb$", "writew$", "writel$", "writeq$", "logic_in", "logic_out", "^crc[0-9]+",
        "crc_itu_t", "__might_resched", "assertfail", "^iput$", "^iput_final$", "^ihold$",
        "hex_dump_to_buffer", "print_hex_dump", "^klist_", "(trace|lockdep)_(hard|soft)irq",
        "^(un)?lock_page", "stack_trace_consume_entry", "arch_stack_walk", "stack_trace_save",
        "insert_work", "__queue_delayed_work", "queue_delayed_work_on", "ida_free",
        // arm64 translation fault handling.
        "do_(kernel|translation)_fault", "do_mem_abort", "el1_abort", "el1h_64_sync(?:_handler)?",
        "print_tainted", "xas_(?:start|load|find)", "find_lock_entries", "truncate_inode_pages_range",
        "__phys_addr", "__fortify_report", "cleanup_srcu_struct", "rhashtable_lookup",
        "extract_(user|iter)_to_sg", "drop_nlink", "^get_taint$", "^put_device$", "lock_timer_base",
        "__timer_delete_sync", "sk_stop_timer_sync", "__mod_timer", "fast_dput", "dput",
        // Buffer-head helpers WARN about their callers' misuse.
        "mark_buffer_dirty",
        // iomap's per-folio state check WARNs when the filesystem left a folio's uptodate state
        // inconsistent; the folio is freed there from generic truncation or reclaim.
        "^ifs_free$", "truncate_cleanup_folio",
    ];

    /// <summary>Shortest name after removing one syscall wrapper prefix.</summary>
    public static string StripPrefix(string frame)
    {
        string best = frame;
        foreach (var prefix in StripFramePrefixes)
        {
            if (frame.StartsWith(prefix, StringComparison.Ordinal) && frame.Length - prefix.Length < best.Length)
                best = frame[prefix.Length..];
        }
        return best;
    }
}
