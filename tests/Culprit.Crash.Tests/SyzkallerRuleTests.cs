using Xunit;

namespace Culprit.Crash.Tests;

/// <summary>
/// syzkaller's title rules on report shapes the conformance corpus barely shows: kernel versions
/// print the same kind of report in several ways, and each way must give the same title.
/// </summary>
public sealed class SyzkallerRuleTests
{
    private static string Log(params string[] lines) =>
        string.Concat(lines.Select((l, i) => $"[  {100 + i}.{i:D6}][ T100] {l}\n"));

    [Theory]
    [InlineData("WARNING: net/core/foo.c:12 at foo_bar+0x10/0x20, CPU#0: syz.0.1/100")]
    [InlineData("WARNING: !refcount_read(&x->ref) net/core/foo.c:12 at foo_bar+0x10/0x20, CPU#1: syz.0.1/100")]
    [InlineData("WARNING: [!x] net/core/foo.c:12 at foo_bar, CPU#0: syz.0.1/100")]
    [InlineData("WARNING: net/core/foo.c:12 at 0xffffffff81234567, CPU#0: syz.0.1/100")]
    [InlineData("WARNING: CPU: 0 PID: 100 at net/core/foo.c:12 foo_bar+0x10/0x20")]
    public void Every_warning_line_form_is_titled_with_the_faulting_function(string header)
    {
        string log = Log(
            "------------[ cut here ]------------",
            header,
            "Modules linked in:",
            "CPU: 0 PID: 100 Comm: syz.0.1 Not tainted 6.19.0",
            "RIP: 0010:foo_bar+0x10/0x20",
            "Call Trace:",
            " <TASK>",
            " baz+0x1/0x2",
            " </TASK>");
        var report = LinuxCrashParser.Parse(log)!;
        Assert.Equal("WARNING in foo_bar", report.Title);
        Assert.False(report.Corrupted, report.CorruptedReason);
    }

    [Fact]
    public void A_workqueue_lockup_is_named_by_the_work_of_the_stalled_pools_first_busy_worker()
    {
        string log = Log(
            "BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 56s!",
            "Showing busy workqueues and worker pools:",
            "workqueue events: flags=0x100",
            "    in-flight: 9:other_work for 58s",
            "pool 2: cpus=0 node=0 flags=0x0 nice=0 hung=56s workers=6 idle: 4831 1511 10",
            "Showing backtraces of busy workers in stalled worker pools:",
            "pool 2:",
            "task:kworker/0:0     state:R  running task     stack:0     pid:9",
            "Workqueue: events nsim_fib_event_work",
            "Call trace:",
            " __schedule+0x1370/0x2d80",
            " nsim_fib_event_work+0x1d8/0x320");
        Assert.Equal("BUG: workqueue lockup in nsim_fib_event_work", LinuxCrashParser.Parse(log)!.Title);
    }

    [Fact]
    public void An_old_kmsan_report_is_titled_from_its_call_trace()
    {
        string log = Log(
            "==================================================================",
            "BUG: KMSAN: kernel-infoleak in copy_siginfo_to_user+0xf0/0x150",
            "CPU: 0 PID: 4543 Comm: syz-executor869 Not tainted 4.18.0-rc4+ #23",
            "Call Trace:",
            " dump_stack+0x185/0x1e0",
            " kmsan_report+0x195/0x2c0",
            " kmsan_internal_check_memory+0x10e/0x210",
            " kmsan_copy_to_user+0x83/0xe0",
            " copy_siginfo_to_user+0xf0/0x150",
            " ptrace_request+0x232d/0x2790",
            "",
            "Local variable description: ----kiov@ptrace_request",
            "Variable was created at:",
            " ptrace_request+0x1bf/0x2790",
            "==================================================================");
        Assert.Equal("KMSAN: kernel-infoleak in copy_siginfo_to_user", LinuxCrashParser.Parse(log)!.Title);
    }

    [Fact]
    public void Lockdep_internals_and_socket_lock_wrappers_never_name_a_lock_bug()
    {
        string log = Log(
            "================================",
            "WARNING: inconsistent lock state",
            "--------------------------------",
            "inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage.",
            "swapper/1/0 [HC0[0]:SC1[1]:HE1:SE0] takes:",
            "ffff888026ad6260 (sk_lock-AF_X25){+.?.}-{0:0}, at: x25_kill_by_neigh+0x10d/0x250",
            "stack backtrace:",
            "Call Trace:",
            " <IRQ>",
            " dump_stack_lvl+0xe8/0x150",
            " print_usage_bug+0x28c/0x2e0",
            " valid_state+0xbe/0xf0",
            " mark_lock_irq+0x36/0x380",
            " lock_acquire+0x115/0x350",
            " ? x25_kill_by_neigh+0x10d/0x250",
            " lock_sock_nested+0x41/0x100",
            " x25_kill_by_neigh+0x10d/0x250",
            " </IRQ>");
        Assert.Equal("inconsistent lock state in x25_kill_by_neigh", LinuxCrashParser.Parse(log)!.Title);
    }

    [Fact]
    public void Output_of_other_programs_before_a_printk_prefix_leaves_the_line_in_its_task()
    {
        string log =
            "date-utmp-runlev[  288.557819][T21583] ------------[ cut here ]------------\n" +
            "el.service [0m.[  288.564375][T21583] WARNING: CPU: 72 PID: 21583 at ./include/linux/scatterlist.h:412 iommu_map_sg+0x496/0xa40\n" +
            "[  288.575609][T21583] Modules linked in:\n" +
            "[  288.604937][T21583] RIP: 0010:iommu_map_sg+0x496/0xa40\n" +
            "[  288.690351][T21583] Call Trace:\n" +
            "[  288.690355][T21583]  <TASK>\n" +
            "ty.service [0m.[  288.720353][T21583]  [<ffffffff83630ad8>] iommu_dma_map_sg+0xb58/0x1020\n" +
            "[  288.976911][T21583]  </TASK>\n";
        var report = LinuxCrashParser.Parse(log)!;
        Assert.Equal("WARNING in iommu_map_sg", report.Title);
        Assert.Contains("\nRIP: 0010:iommu_map_sg+0x496/0xa40\n", report.Report, StringComparison.Ordinal);
        Assert.DoesNotContain("el.service", report.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_ipv6_host_route_is_titled_without_the_address()
    {
        string log = Log("IPv6: BUG: Address fc00:: on device lo is missing its host route.", "lo speed is unknown, defaulting to 1000");
        Assert.Equal("BUG: Address IPV6ADDR on device lo is missing its host route.", LinuxCrashParser.Parse(log)!.Title);
    }

    [Fact]
    public void An_old_kmsan_usb_infoleak_is_titled_from_its_call_trace_not_from_the_origin_marker()
    {
        string log = Log(
            "=====================================================",
            "BUG: KMSAN: kernel-usb-infoleak in kmsan_handle_urb+0x28/0x40",
            "CPU: 0 PID: 12331 Comm: syz-executor.4 Not tainted 5.8.0-rc5-syzkaller #0",
            "Call Trace:",
            " dump_stack+0x21c/0x280",
            " kmsan_report+0xf7/0x1e0",
            " kmsan_handle_urb+0x28/0x40",
            " usb_submit_urb+0x861/0x2470",
            " hid_submit_ctrl+0xc3d/0x1260",
            " usbhid_restart_ctrl_queue+0x3e9/0x5c0",
            "",
            "Uninit was created at:",
            " kmsan_internal_poison_shadow+0x66/0xd0",
            " hcd_buffer_alloc+0x279/0x650",
            "=====================================================");
        Assert.Equal("KMSAN: kernel-usb-infoleak in hid_submit_ctrl", LinuxCrashParser.Parse(log)!.Title);
    }

    // A console cut short by another message prints the marker and the whole message again.
    private static readonly string[] ReplayedHang =
    [
        "INFO: t",
        "** replaying previous printk message **",
        "INFO: task udevd:5612 blocked in I/O wait for more than 143 seconds.",
        "      Not tainted 6.19.0-syzkaller #0",
        "task:udevd           state:D stack:0     pid:5612  tgid:5612  ppid:4302",
        "Call trace:",
        " __switch_to+0x2b0/0x6e0 (T)",
        " __schedule+0x1b74/0x2d24",
        " schedule+0xa4/0x140",
        " io_schedule+0x1c/0xe0",
        " folio_wait_bit_common+0x674/0x9ec",
        " do_read_cache_folio+0x240/0x5b8",
        " read_cache_folio+0x68/0x84",
        " read_part_sector+0xcc/0x6e8",
    ];

    [Fact]
    public void A_report_line_cut_short_and_replayed_is_read_from_its_replay()
    {
        var report = LinuxCrashParser.Parse(Log(ReplayedHang))!;
        Assert.Equal("INFO: task hung in read_cache_folio", report.Title);
        Assert.Equal("HANG", report.Type);
    }

    [Fact]
    public void A_replayed_report_line_is_found_however_the_stream_is_cut()
    {
        // The cut line's replay marker may not be read yet when the cut line is: the streaming
        // parser must wait for it rather than take the cut line or skip past it.
        string log = new string('x', 5000) + "\n" + Log(ReplayedHang);
        foreach (int chunk in new[] { 1, 7, 64, 4096 })
            Assert.Equal("INFO: task hung in read_cache_folio", LinuxCrashParser.Parse(new ChunkedReader(log, chunk))!.Title);
    }

    [Theory]
    [InlineData("INFO: task kworker/0:1:12 blocked for more than 143 seconds.")]
    [InlineData("INFO: task kworker/0:1:12 blocked in I/O wait for more than 143 seconds.")]
    public void Both_hung_task_lines_are_one_hang(string header)
    {
        string log = Log(header, "Call Trace:", " __schedule+0x1/0x2", " io_schedule+0x1/0x2", " jbd2_journal_commit_transaction+0x1/0x2", " kjournald2+0x1/0x2");
        Assert.Equal("INFO: task hung in jbd2_journal_commit_transaction", LinuxCrashParser.Parse(log)!.Title);
    }

    [Theory]
    [InlineData("WARNING: Unprivileged eBPF is enabled, data leaks possible via Spectre v2 BHB attacks!")]
    [InlineData("Spectre V2 : WARNING: Unprivileged eBPF is enabled with eIBRS on, data leaks possible via Spectre v2 BHB attacks!")]
    [InlineData("9pnet_fd: p9_fd_create_unix (5611): problem connecting socket: ./sys/module/kernel/parameters/panic: -2")]
    public void Notices_that_look_like_reports_are_not_crashes(string line)
    {
        string log = Log("8021q: adding VLAN 0 to HW filter on device eth12", line, "executing program");
        Assert.Null(LinuxCrashParser.Parse(log));
    }

    [Fact]
    public void A_go_panic_is_still_a_crash()
    {
        Assert.Equal("panic: runtime error: index out of range", LinuxCrashParser.Parse("panic: runtime error: index out of range\n")!.Title);
    }

    [Theory]
    [InlineData(" ntfs_evict_inode+0x19/0x40 fs/ntfs3/inode.c:2012", "WARNING in ntfs_evict_inode", "fs/ntfs3/inode.c")]
    [InlineData(" iomap_release_folio+0x254/0x450 fs/iomap/buffered-io.c:820", "WARNING in iomap_release_folio", "fs/iomap/buffered-io.c")]
    public void An_iomap_folio_state_warning_names_the_code_that_freed_the_folio(string caller, string title, string guilty)
    {
        // ifs_free WARNs about the state the filesystem left; generic truncation frees the folio for it.
        string log = Log(
            "------------[ cut here ]------------",
            "WARNING: fs/iomap/buffered-io.c:295 at ifs_free+0x34a/0x410 fs/iomap/buffered-io.c:294, CPU#1: syz-executor/5758",
            "Modules linked in:",
            "RIP: 0010:ifs_free+0x34a/0x410 fs/iomap/buffered-io.c:294",
            "Call Trace:",
            " <TASK>",
            " folio_invalidate mm/truncate.c:140 [inline]",
            " truncate_cleanup_folio+0xcb/0x190 mm/truncate.c:160",
            caller,
            " evict+0x624/0xb50 fs/inode.c:822",
            " </TASK>");
        var report = LinuxCrashParser.Parse(log)!;
        Assert.Equal(title, report.Title);
        Assert.Equal(guilty, report.GuiltyFile);
    }

    /// <summary>Hands out the text at most <c>chunk</c> characters a read.</summary>
    private sealed class ChunkedReader(string text, int chunk) : TextReader
    {
        private int _pos;

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            int n = Math.Min(Math.Min(chunk, buffer.Length), text.Length - _pos);
            text.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }
    }
}
