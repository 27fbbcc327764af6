using Culprit.Crash.UserSpace;
using Xunit;

namespace Culprit.Crash.Tests.UserSpace;

/// <summary>
/// ClusterFuzz's newer rules for Chrome's CHECK family, V8's sandbox and correctness reports, Centipede's
/// limits and the frames between a failure and its caller, one small log each (each failed before the rule).
/// </summary>
public sealed class ChromeAndV8RuleTests
{
    private const string ChromeStack =
        "#0 0x55d1 base::debug::CollectStackTrace()\n"
        + "#1 0x55d2 logging::NotReachedLogMessage::~NotReachedLogMessage()\n"
        + "#2 0x55d3 url::CreateIDNA()\n"
        + "#3 0x55d4 url::IDNToASCII()\n"
        + "#4 0x55d5 url::CanonicalizeHost()\n";

    [Fact]
    public void NOTREACHED_is_a_CHECK_failure_with_its_message_and_file()
    {
        var report = UserSpaceCrashParser.Parse(
            "[1:1:0101/000000.000000:FATAL:url_idna_icu.cc(58)] NOTREACHED hit. failed to open data\n" + ChromeStack)!;
        Assert.Equal("CHECK failure", report.CrashType);
        Assert.Equal(["failed to open data in url_idna_icu.cc", "url::CreateIDNA", "url::IDNToASCII"], report.CrashState);
        Assert.False(report.Security);
    }

    [Fact]
    public void The_trap_after_a_NOTREACHED_does_not_replace_it()
    {
        var report = UserSpaceCrashParser.Parse(
            "[1:1:0101/000000.000000:FATAL:url_idna_icu.cc(58)] NOTREACHED hit. failed to open data\n" + ChromeStack
            + "==1==ERROR: UndefinedBehaviorSanitizer: TRAP on unknown address 0x000000000000 (pc 0x55 bp 0x7f sp 0x7f T1)\n"
            + "    #0 0x55 in ImmediateCrash base/immediate_crash.h:176:3\n")!;
        Assert.Equal("CHECK failure", report.CrashType);
        Assert.Equal("", report.CrashAddress);
    }

    [Fact]
    public void A_Chrome_DCHECK_is_a_DCHECK_failure_and_a_security_issue()
    {
        // The file may carry its line as file:line too; the state names the file alone.
        var report = UserSpaceCrashParser.Parse(
            "[1:1:0101/000000.000000:FATAL:cc/latency_info.cc:299] DCHECK failed: !terminated_.\n"
            + "#0 0x55d1 logging::DCheckLogMessage::~DCheckLogMessage()\n#1 0x55d2 ui::LatencyInfo::AddLatency()\n")!;
        Assert.Equal("DCHECK failure", report.CrashType);
        Assert.Equal(["!terminated_ in latency_info.cc", "ui::LatencyInfo::AddLatency"], report.CrashState);
        Assert.True(report.Security);
    }

    [Fact]
    public void Chrome_logging_helpers_are_not_the_caller()
    {
        var report = UserSpaceCrashParser.Parse(
            "[1:1:0101/000000.000000:FATAL:a.cc(9)] Check failed: x.\n"
            + "#0 0x55d1 logging::`anonymous namespace'::CheckLogMessage::~CheckLogMessage()\n"
            + "#1 0x55d2 logging::CheckNoreturnError::~CheckNoreturnError()\n#2 0x55d3 app::Caller()\n")!;
        Assert.Equal(["x in a.cc", "app::Caller"], report.CrashState);
    }

    [Fact]
    public void FuzzTest_sources_are_not_the_caller()
    {
        var report = UserSpaceCrashParser.Parse(
            "==1==ERROR: AddressSanitizer: ABRT on unknown address 0x053900000001 (pc 0x7c bp 0x7f sp 0x7f T0)\nSCARINESS: 10 (signal)\n"
            + "    #0 0x55 in v8::internal::SingleString(int) ../../v8/test/fuzz.cc:44:9\n"
            + "    #1 0x56 in ExecuteInputsFromShmem ../../third_party/fuzztest/src/centipede/runner.cc:586:39\n")!;
        Assert.Equal(["v8::internal::SingleString"], report.CrashState);
    }

    [Theory]
    [InlineData("==1==ERROR: AddressSanitizer: global-buffer-overflow on address 0x5765f349d5e8 at pc 0x55 bp 0x7f sp 0x7f\n"
        + "READ of size 8 at 0x5765f349d5e8 thread T0\n    #0 0x55 in v8::internal::ElementsAccessor::ForKind(int) src/a.cc:1:1\n"
        + "## V8 sandbox violation detected!\n", "0x5765f349d5e8")]
    [InlineData("## V8 sandbox violation detected!\n"
        + "==1==ERROR: AddressSanitizer: SEGV on unknown address 0x414141414141 (pc 0x55 bp 0x7f sp 0x7f T0)\n"
        + "==1==The signal is caused by a WRITE memory access.\n    #0 0x55 in v8::internal::ElementsAccessor::ForKind(int) src/a.cc:1:1\n",
        "0x414141414141")]
    public void A_V8_sandbox_violation_outranks_the_sanitizer_report_around_it(string log, string address)
    {
        var report = UserSpaceCrashParser.Parse(log)!;
        Assert.Equal("V8 sandbox violation", report.CrashType);
        Assert.Equal(["v8::internal::ElementsAccessor::ForKind"], report.CrashState);
        Assert.Equal(address, report.CrashAddress);
        Assert.True(report.Security);
    }

    [Fact]
    public void A_V8_correctness_failure_is_named_by_its_metadata()
    {
        var report = UserSpaceCrashParser.Parse(
            "#\n# V8 correctness failure\n# V8 correctness configs: x64,ignition:x64,ignition_turbo\n"
            + "# V8 correctness sources: f60\n# V8 correctness suppression: crbug.com/123456\n#\n")!;
        Assert.Equal("V8 correctness failure", report.CrashType);
        Assert.Equal(["configs: x64,ignition:x64,ignition_turbo", "sources: f60", "suppression: crbug.com/123456"], report.CrashState);
    }

    [Fact]
    public void Centipede_stack_limit_is_a_stack_overflow()
    {
        var report = UserSpaceCrashParser.Parse(
            "========= Stack limit exceeded: 140000 > 131072 (byte); aborting\n"
            + "==1==ERROR: AddressSanitizer: ABRT on unknown address 0x053900000001 (pc 0x7c bp 0x7f sp 0x7f T0)\n"
            + "    #0 0x55 in Recurse(int) src/r.cc:4:3\n    #1 0x56 in Recurse(int) src/r.cc:5:3\n")!;
        Assert.Equal("Stack-overflow", report.CrashType);
        Assert.False(report.Security);
    }

    [Theory]
    [InlineData("========= Timeout of 1200 seconds exceeded; exiting\n", "Timeout")]
    [InlineData("Failure description: out-of-memory\n", "Out-of-memory")]
    [InlineData("A device memory allocation has failed.\n", "Out-of-memory")]
    [InlineData("    #3 0x55 in __rust_alloc_error_handler library/alloc/src/alloc.rs:1:1\n", "Out-of-memory")]
    public void Newer_timeout_and_out_of_memory_markers(string line, string type)
    {
        var report = UserSpaceCrashParser.Parse(line)!;
        Assert.Equal(type, report.CrashType);
    }

    [Fact]
    public void A_segv_handler_signal_with_an_unknown_code_is_a_crash()
    {
        var report = UserSpaceCrashParser.Parse("Received signal 11 <unknown> 000000000000\n#0 0x55 app::Crash()\n#1 0x56 app::Main()\n")!;
        Assert.Equal("Null-dereference", report.CrashType);
        Assert.Equal("0x000000000000", report.CrashAddress);
    }

    [Fact]
    public void An_upcast_of_a_null_pointer_is_its_own_UBSan_type()
    {
        var report = UserSpaceCrashParser.Parse(
            "a.cc:3:9: runtime error: upcast of null pointer of type 'Derived'\n    #0 0x55 in f() a.cc:3:9\n"
            + "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior a.cc:3:9 in\n")!;
        Assert.Equal("Upcast-of-null-pointer", report.CrashType);
        Assert.Equal(["f"], report.CrashState);
        Assert.False(report.Security);
    }

    [Fact]
    public void Mac_frames_are_demangled_before_they_are_judged()
    {
        var report = UserSpaceCrashParser.Parse(
            "[1:2:0101/000000.000000:FATAL:fling_curve.cc(44)] Check failed: max_start_velocity > 0.\n"
            + "0   Chromium Framework                  0x0000000104ec0e65 _ZN4base5debug10StackTraceC1Ev + 21\n"
            + "1   Chromium Framework                  0x0000000104ee0f2c _ZN7logging10LogMessageD2Ev + 76\n"
            + "2   Chromium Framework                  0x0000000106e4da35 _ZN2ui10FlingCurveC2ERKN3gfx7Vector2dFEN4base9TimeTicksE + 613\n")!;
        Assert.Equal(["max_start_velocity > 0 in fling_curve.cc", "ui::FlingCurve::FlingCurve"], report.CrashState);
    }

    [Fact]
    public void What_follows_the_semicolon_of_a_Chrome_CHECK_is_the_run_s_values()
    {
        var report = UserSpaceCrashParser.Parse(
            "[1:1:0908/073950.845878:FATAL:content/browser/a.cc:40] Check failed: Encode(key) == input; Encode(key) = 0wwy, input = 0wxy\n"
            + "#0 0x55d1 logging::CheckError::~CheckError()\n#1 0x55d2 app::Decode()\n")!;
        Assert.Equal(["Encode(key) == input in a.cc", "app::Decode"], report.CrashState);
    }
}
