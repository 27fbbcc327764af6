using Culprit.Crash.UserSpace;
using Xunit;

namespace Culprit.Crash.Tests.UserSpace;

/// <summary>The title rule: type's first line, then the first state line; stable across runs of one bug.</summary>
public sealed class UserSpaceTitleTests
{
    [Theory]
    [InlineData("Heap-buffer-overflow\nREAD 4", "history_add|main", "heap-buffer-overflow in history_add")]
    [InlineData("Null-dereference READ", "nextline|luaX_next", "Null-dereference READ in nextline")]
    [InlineData("ASSERT", "tick % 4 != 1", "ASSERT: tick % 4 != 1")]
    [InlineData("CHECK failure", "x > 0 in file.cc|f", "CHECK failure: x > 0 in file.cc")]
    [InlineData("Bad-cast", "Bad-cast to B from A", "Bad-cast to B from A")]
    [InlineData("Fatal-signal", "NULL", "fatal-signal")]
    [InlineData("UNKNOWN WRITE", "SetTaskInfo|base::Timer::Start", "UNKNOWN WRITE in SetTaskInfo")]
    [InlineData("Index out of range", "http.(*conn).serve.func1", "Index out of range in http.(*conn).serve.func1")]
    public void Titles_follow_the_rule(string type, string state, string title) =>
        Assert.Equal(title, UserSpaceTitle.Of(type, state.Split('|')));

    [Fact]
    public void Two_runs_of_one_use_after_free_get_one_title_and_one_alt_title()
    {
        static string Run(string pid, string address) =>
            $"=================================================================\n=={pid}==ERROR: AddressSanitizer: heap-use-after-free on address {address} at pc 0x55d1 bp 0x7ffd sp 0x7ffc\n"
            + $"READ of size 1 at {address} thread T0\n    #0 0x55d1 in use_name /tmp/r/prog.c:30:12\n    #1 0x55d2 in main /tmp/r/prog.c:37:12\n"
            + $"    #2 0x7f01 in __libc_start_main (/lib/x86_64-linux-gnu/libc.so.6+0x29d8f)\n\n{address} is located 0 bytes inside of 16-byte region\nfreed by thread T0 here:\n"
            + "    #0 0x7f02 in free (/lib/libasan.so.8+0xd7888)\n    #1 0x55d3 in use_name /tmp/r/prog.c:29:5\n";
        var a = UserSpaceCrashParser.Parse(Run("4242", "0x602000000010"))!;
        var b = UserSpaceCrashParser.Parse(Run("977", "0x6020000000f0"))!;
        Assert.Equal("heap-use-after-free in use_name", a.Title);
        Assert.Equal(a.Title, b.Title);
        Assert.Equal(a.AltTitle, b.AltTitle);
        Assert.Equal("Heap-use-after-free READ 1 in use_name / use_name", a.AltTitle); // the freeing frame counts too, as in ClusterFuzz
        Assert.True(a.Security);
    }

    [Fact]
    public void A_glibc_assertion_is_titled_by_its_condition()
    {
        var report = UserSpaceCrashParser.Parse("prog: prog.c:16: count_run: Assertion `tick % 4 != 1' failed.\nAborted (core dumped)\n")!;
        Assert.Equal("ASSERT", report.CrashType);
        Assert.Equal("ASSERT: tick % 4 != 1", report.Title);
    }

    [Fact]
    public void Output_without_a_report_has_no_crash() =>
        Assert.Null(UserSpaceCrashParser.Parse("make: *** [all] Error 1\ntests failed: 3 of 10\n"));
}
