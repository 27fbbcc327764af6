using Xunit;

namespace Culprit.Crash.Tests;

/// <summary>Individual rules of the parser, on small hand-made console logs.</summary>
public sealed class RuleTests
{
    private static string Log(params string[] lines) =>
        string.Concat(lines.Select((l, i) => $"[  {100 + i}.{i:D6}] {l}\n"));

    private const string KasanUseAfterFree = """
        [   10.000001] ==================================================================
        [   10.000002] BUG: KASAN: use-after-free in ip6_send_skb+0x2f5/0x330 net/ipv6/ip6_output.c:1748
        [   10.000003] Read of size 8 at addr ffff88004fab1858 by task syz-executor0/30168
        [   10.000004] CPU: 0 PID: 30168 Comm: syz-executor0 Not tainted 4.12.0-rc3+ #3
        [   10.000005] Call Trace:
        [   10.000006]  __dump_stack lib/dump_stack.c:16 [inline]
        [   10.000007]  dump_stack+0x292/0x395 lib/dump_stack.c:52
        [   10.000008]  kasan_report+0x230/0x340 mm/kasan/report.c:408
        [   10.000009]  __asan_report_load8_noabort+0x19/0x20 mm/kasan/report.c:429
        [   10.000010]  ip6_send_skb+0x2f5/0x330 net/ipv6/ip6_output.c:1748
        [   10.000011]  ip6_push_pending_frames+0xb8/0xe0 net/ipv6/ip6_output.c:1763
        [   10.000012]  rawv6_sendmsg+0x2ede/0x4400 net/ipv6/raw.c:932
        [   10.000013]  entry_SYSCALL_64_fastpath+0x1f/0xbe

        """;

    [Fact]
    public void A_log_without_a_crash_has_no_report()
    {
        string log = Log("Linux version 6.1.0", "random: crng init done", "syzkaller login: root");
        Assert.Null(LinuxCrashParser.Parse(log));
        Assert.False(LinuxCrashParser.ContainsCrash(log));
        Assert.Empty(LinuxCrashParser.ParseAll(log));
    }

    [Fact]
    public void Kasan_reports_are_titled_with_the_bug_kind_the_access_and_the_first_non_sanitizer_frame()
    {
        var report = LinuxCrashParser.Parse(KasanUseAfterFree)!;
        Assert.Equal("KASAN: use-after-free Read in ip6_send_skb", report.Title);
        Assert.Equal("KASAN-USE-AFTER-FREE-READ", report.Type);
        Assert.Equal("ip6_send_skb", report.Frame);
        Assert.Contains("bad-access in ip6_send_skb", report.AltTitles);
        Assert.False(report.Corrupted);
    }

    [Fact]
    public void The_guilty_file_is_the_first_file_outside_generic_infrastructure()
    {
        Assert.Equal("net/ipv6/ip6_output.c", LinuxCrashParser.Parse(KasanUseAfterFree)!.GuiltyFile);
    }

    [Fact]
    public void Start_is_the_offset_of_the_first_report_line()
    {
        var report = LinuxCrashParser.Parse(KasanUseAfterFree)!;
        Assert.StartsWith("[   10.000002] BUG: KASAN:", KasanUseAfterFree[report.Start..], StringComparison.Ordinal);
        Assert.True(report.End > report.Start && report.End <= KasanUseAfterFree.Length);
    }

    [Fact]
    public void Printk_timestamps_are_removed_from_the_report_text()
    {
        var report = LinuxCrashParser.Parse(KasanUseAfterFree)!;
        Assert.Contains("\nBUG: KASAN: use-after-free in ip6_send_skb", "\n" + report.Report, StringComparison.Ordinal);
        Assert.DoesNotContain("[   10.000002]", report.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void Warning_titles_name_the_first_frame_after_the_warn_machinery()
    {
        string log = Log(
            "------------[ cut here ]------------",
            "WARNING: CPU: 1 PID: 4242 at fs/io_uring.c:1527 io_cqring_ev_posted+0x3e/0x60 fs/io_uring.c:1527",
            "Modules linked in:",
            "RIP: 0010:io_cqring_ev_posted+0x3e/0x60 fs/io_uring.c:1527",
            "Call Trace:",
            " io_cqring_add_event+0x1a/0x30 fs/io_uring.c:1600",
            " io_submit_sqes+0x100/0x200 fs/io_uring.c:3000",
            " do_syscall_64+0x35/0x80 arch/x86/entry/common.c:80");
        var report = LinuxCrashParser.Parse(log)!;
        Assert.Equal("WARNING in io_cqring_ev_posted", report.Title);
        Assert.Equal("WARNING", report.Type);
    }

    [Fact]
    public void Syscall_wrapper_prefixes_are_stripped_from_the_title_frame()
    {
        string log = Log(
            "BUG: sleeping function called from invalid context at mm/slab.h:421",
            "in_atomic(): 1, irqs_disabled(): 0, pid: 1, name: init",
            "Call Trace:",
            " __might_sleep+0x95/0x190 kernel/sched/core.c:6132",
            " __do_sys_setsockopt+0xba/0x150 net/socket.c:2000",
            " do_syscall_64+0x35/0x80 arch/x86/entry/common.c:80");
        var report = LinuxCrashParser.Parse(log)!;
        Assert.Equal("BUG: sleeping function called from invalid context in setsockopt", report.Title);
        Assert.Contains("BUG: sleeping function called from invalid context in __do_sys_setsockopt", report.AltTitles);
    }

    [Fact]
    public void A_report_whose_stack_cannot_be_read_is_titled_in_corrupted()
    {
        string log = Log("general protection fault: 0000 [#1] SMP KASAN", "Modules linked in:");
        var report = LinuxCrashParser.Parse(log)!;
        Assert.Equal("general protection fault in corrupted", report.Title);
        Assert.True(report.Corrupted);
    }

    [Fact]
    public void Numbers_addresses_and_executor_pids_are_normalised_in_titles()
    {
        var report = LinuxCrashParser.Parse(Log("Kernel panic - not syncing: syz-executor.3/12345 corrupted 0xffff888012345678 at 7 items"))!;
        Assert.Equal("kernel panic: syz-executor corrupted ADDR at NUM items", report.Title);
        Assert.Equal("DoS", report.Type);
    }

    [Fact]
    public void Lines_of_other_tasks_are_left_out_of_a_task_context_report()
    {
        string log = """
            [   20.000001][ T100] BUG: scheduling while atomic: syz-executor/100/0x00000002
            [   20.000002][ T200] audit: type=1400 audit(1.2:3): avc: denied { read } for pid=200
            [   20.000003][ T100] Call Trace:
            [   20.000004][ T100]  dump_stack+0x10/0x20 lib/dump_stack.c:10
            [   20.000005][ T100]  __schedule_bug+0x10/0x20 kernel/sched/core.c:100
            [   20.000006][ T100]  nfc_llcp_sock_release+0x10/0x20 net/nfc/llcp_sock.c:10
            [   20.000007][ T100]  sock_close+0x10/0x20 net/socket.c:10

            """;
        var report = LinuxCrashParser.Parse(log)!;
        Assert.DoesNotContain("audit", report.Report, StringComparison.Ordinal);
        Assert.Equal("BUG: scheduling while atomic in nfc_llcp_sock_release", report.Title);
    }

    [Fact]
    public void Hung_tasks_waiting_for_rcu_are_grouped_under_synchronize_rcu()
    {
        string log = Log(
            "INFO: task kworker/0:1:12 blocked for more than 143 seconds.",
            "Call Trace:",
            " __schedule+0x10/0x20 kernel/sched/core.c:100",
            " schedule+0x10/0x20 kernel/sched/core.c:200",
            " synchronize_rcu_expedited+0x10/0x20 kernel/rcu/tree_exp.h:10",
            " nf_tables_abort+0x10/0x20 net/netfilter/nf_tables_api.c:10");
        var report = LinuxCrashParser.Parse(log)!;
        Assert.Equal("INFO: task hung in synchronize_rcu", report.Title);
        Assert.Equal("HANG", report.Type);
    }

    [Fact]
    public void Out_of_memory_kills_of_the_ssh_server_suppress_the_report()
    {
        string log = Log(
            "Out of memory: Kill process 321 (sshd) score 0 or sacrifice child",
            "Kernel panic - not syncing: Out of memory and no killable processes...");
        var report = LinuxCrashParser.Parse(log)!;
        Assert.True(report.Suppressed);
    }

    [Fact]
    public void Unregister_netdevice_hangs_use_a_fixed_title()
    {
        var report = LinuxCrashParser.Parse(Log("unregister_netdevice: waiting for lo to become free. Usage count = 1"))!;
        Assert.Equal("unregister_netdevice: waiting for DEV to become free", report.Title);
        Assert.Equal("DoS", report.Type);
    }

    [Fact]
    public void A_panic_that_follows_a_report_belongs_to_it_and_starts_no_report_of_its_own()
    {
        string log = KasanUseAfterFree + Log("Kernel panic - not syncing: panic_on_warn set ...");
        var all = LinuxCrashParser.ParseAll(log);
        Assert.Single(all);
    }

    [Fact]
    public void Separate_crashes_give_separate_reports_in_order()
    {
        string second = Log("BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 143s!");
        var all = LinuxCrashParser.ParseAll(KasanUseAfterFree + second);
        Assert.Equal(["KASAN: use-after-free Read in ip6_send_skb", "BUG: workqueue lockup"], all.Select(r => r.Title));
        Assert.True(all[1].Start > all[0].Start);
    }

    [Fact]
    public void Suppressed_header_variants_are_not_crashes()
    {
        Assert.False(LinuxCrashParser.ContainsCrash(Log("WARNING: /etc/ssh/moduli does not exist, using fixed modulus", "INFO: lockdep is turned off.")));
    }

    [Theory]
    [InlineData("KASAN: slab-out-of-bounds Write in foo", "KASAN-WRITE")]
    [InlineData("possible deadlock in foo", "LOCKDEP")]
    [InlineData("memory leak in foo", "LEAK")]
    [InlineData("INFO: rcu detected stall in foo", "HANG")]
    [InlineData("BUG: unable to handle kernel paging request in foo", "MEMORY_SAFETY_BUG")]
    [InlineData("something nobody classified", "UNKNOWN")]
    public void The_type_follows_from_the_title(string title, string type)
    {
        Assert.Equal(type, CrashTypes.FromTitle(title));
    }
}
