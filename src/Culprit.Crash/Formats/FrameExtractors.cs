namespace Culprit.Crash.Formats;

/// <summary>Frame choosers for reports whose top frame is a random victim rather than the bug.</summary>
internal static class FrameExtractors
{
    /// <summary>
    /// Stalls and lockups are caught at a random point of a loop, so the top frame varies from run
    /// to run. Take instead the frame just above a well-known dispatcher (syscall entry, workqueue,
    /// timer, ioctl/read/write/socket entry points): it names the looping operation.
    /// </summary>
    public static (string Frame, int Index) Stall(IReadOnlyList<string> frames)
    {
        if (frames.Count == 0)
            return ("", -1);
        string prev = frames[0];
        int prevIndex = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            string frame = frames[i];
            if (StallAnchors.IsMatch(frame))
            {
                if (frame.Contains("smp_call_function", StringComparison.Ordinal))
                    return ("smp_call_function", i);
                return (prev, prevIndex);
            }
            prev = frame;
            prevIndex = i;
        }
        return ("", -1);
    }

    /// <summary>
    /// Hung tasks are victims; group the two common root causes (RCU and rtnl) together and
    /// otherwise skip scheduler, locking and waiting frames.
    /// </summary>
    public static (string Frame, int Index) HungTask(IReadOnlyList<string> frames)
    {
        for (int i = 0; i < frames.Count; i++)
        {
            string frame = frames[i];
            if (frame.Contains("rtnl_lock", StringComparison.Ordinal))
                return (frame, i);
            foreach (var anchor in RcuSyncAnchors)
            {
                if (frame.Contains(anchor, StringComparison.Ordinal))
                    return ("synchronize_rcu", i);
            }
        }
        for (int i = 0; i < frames.Count; i++)
        {
            if (!HangSkips.Any(s => frames[i].Contains(s, StringComparison.Ordinal)))
                return (frames[i], i);
        }
        return ("", -1);
    }

    private static readonly string[] RcuSyncAnchors = ["synchronize_rcu", "synchronize_srcu", "synchronize_net", "synchronize_sched"];

    private static readonly string[] HangSkips =
    [
        "sched", "_lock", "_slowlock", "down", "rwsem", "completion", "kthread", "wait", "synchronize",
        "context_switch", "__switch_to", "cancel_delayed_work", "rcu_barrier",
    ];

    // Tried on every frame of every stall: plain names, "^name" (a prefix) and "^name$" (the whole
    // name), matched without a regex.
    private static readonly NameList StallAnchors = new(
    [
        // Generic dispatchers, and some of their callers in case names change.
        "process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch", "tracesys_phase2",
        "el0_svc_handler", "invoke_syscall", "ret_fast_syscall", "netif_receive_skb", "do_softirq",
        "call_timer_fn", "_run_timers", "run_timer_softirq", "hrtimer_run", "run_ksoftirqd",
        "smpboot_thread_fn", "^kthread$", "start_secondary", "cpu_startup_entry", "ret_from_fork",
        // Discriminating file operations.
        "vfs_write", "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read", "do_iter_write",
        "call_read_iter", "call_write_iter", "new_sync_read", "new_sync_write", "vfs_ioctl", "ksys_ioctl",
        "compat_ioctl", "compat_sys_ioctl", "blkdev_driver_ioctl", "blkdev_ioctl", "^call_read_iter",
        "^call_write_iter", "do_iter_readv_writev", "^call_mmap", "mmap_region", "do_mmap",
        "do_dentry_open", "vfs_open",
        // Socket operations.
        "^sock_sendmsg", "^sock_recvmsg", "^sock_release", "^__sock_release", "^setsockopt$",
        "kernel_setsockopt", "sock_common_setsockopt", "^listen$", "kernel_listen", "sk_common_release",
        "^sock_mmap", "^accept$", "kernel_accept", "^sock_do_ioctl", "^sock_ioctl", "^compat_sock_ioctl",
        "^nfnetlink_rcv_msg", "^rtnetlink_rcv_msg", "^netlink_dump", "^socketpair", "^connect", "^ioctl",
        "^sys_socketpair", "^sys_connect", "^sys_ioctl",
        // Page faults.
        "__do_fault", "do_page_fault", "^page_fault$",
        // Work done on the way back to user space.
        "__fput", "task_work_run", "exit_to_usermode", "smp_call_function", "tasklet_action",
        "tasklet_hi_action",
    ]);
}
