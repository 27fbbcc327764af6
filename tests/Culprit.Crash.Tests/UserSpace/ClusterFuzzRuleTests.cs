using Culprit.Crash.UserSpace;
using Xunit;

namespace Culprit.Crash.Tests.UserSpace;

/// <summary>
/// One test per ClusterFuzz rule that a held-out or conformance log showed missing, on the smallest
/// log that needs the rule (each failed before the rule was added).
/// </summary>
public sealed class ClusterFuzzRuleTests
{
    [Fact]
    public void Centipedes_crash_log_prefix_is_taken_off_every_line_whether_the_output_is_a_string_or_a_stream()
    {
        // Centipede relays the target's output with each line prefixed.
        const string output =
            "Crash detected, saving input to /tmp/wd/crashes/5f2c\n"
            + "CRASH LOG: ==41==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000070 at pc 0x55d0aa9 bp 0x7ffd sp 0x7ffe\n"
            + "CRASH LOG: WRITE of size 4 at 0x602000000070 thread T0\n"
            + "CRASH LOG:     #0 0x55d0aa9 in read_header /src/parser.c:41:9\n"
            + "CRASH LOG:     #1 0x55d0bb4 in parse /src/parser.c:88:3\n"
            + "CRASH LOG: \n"
            + "CRASH LOG: SUMMARY: AddressSanitizer: heap-use-after-free /src/parser.c:41:9 in read_header\n";
        foreach (var report in new[] { UserSpaceCrashParser.Parse(output)!, UserSpaceCrashParser.Parse(new StringReader(output))! })
        {
            Assert.Equal("Heap-use-after-free\nWRITE 4", report.CrashType);
            Assert.Equal(["read_header", "parse"], report.CrashState);
            Assert.Equal("0x602000000070", report.CrashAddress);
            Assert.DoesNotContain("CRASH LOG:", report.Report);
        }
        // Only a line's start is the prefix: the same words inside a line stay.
        Assert.Equal("a CRASH LOG: b\nc\n", CentipedeLines.Text("a CRASH LOG: b\nCRASH LOG: c\n"));
    }

    [Fact]
    public void An_implicit_conversion_is_not_a_security_issue()
    {
        // -fsanitize=implicit-conversion reports defined behaviour, like unsigned overflow.
        var report = UserSpaceCrashParser.Parse(
            "p.c:4:17: runtime error: implicit conversion from type 'long' of value -3 (64-bit, signed) to type 'size_t' changed the value\n"
            + "    #0 0x56c82b in current_char /src/p.c:4:17\n    #1 0x56dbc3 in parse /src/p.c:9:10\n"
            + "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior p.c:4:17 in\n")!;
        Assert.Equal("Implicit-conversion", report.CrashType);
        Assert.Equal(["current_char", "parse"], report.CrashState);
        Assert.False(report.Security);
    }

    [Theory]
    [InlineData("illegal-instruction", false)] // Windows spells the signal out
    [InlineData("ILL", false)]
    [InlineData("SEGV", true)]
    public void An_illegal_instruction_is_a_non_security_signal_however_the_sanitizer_spells_it(string signal, bool security)
    {
        var report = UserSpaceCrashParser.Parse(
            $"==1==ERROR: AddressSanitizer: {signal} on unknown address 0x7ffa8b2a0145 (pc 0x7ffa8b2a0145 bp 0x00a1f97fa130 sp 0x00a1f97fa0c0 T0)\n"
            + "    #0 0x7ffa8b2a0144 in blink::Layout::Place C:\\src\\layout.cc:3139\n"
            + "    #1 0x7ffa8b2a0200 in blink::Layout::Run C:\\src\\layout.cc:100\n"
            + $"SUMMARY: AddressSanitizer: {signal} C:\\src\\layout.cc:3139:1 in blink::Layout::Place\n")!;
        Assert.Equal(["blink::Layout::Place", "blink::Layout::Run"], report.CrashState);
        Assert.Equal(security, report.Security);
    }

    [Fact]
    public void Numbers_in_a_V8_fatal_error_message_are_tokens()
    {
        static UserSpaceReport Run(int token) => UserSpaceCrashParser.Parse(
            $"#\n# Fatal error in ../../src/foo/bar.cc, line 123\n# Funky failure at token {token} of v2\n#\n")!;
        Assert.Equal("Fatal error", Run(13).CrashType);
        Assert.Equal(["Funky failure at token NUMBER of v2 in bar.cc"], Run(13).CrashState);
        Assert.Equal(Run(13).CrashState, Run(7).CrashState);
    }

    [Fact]
    public void A_V8_runtime_assert_keeps_its_numbers()
    {
        var report = UserSpaceCrashParser.Parse("#\n# Runtime error in ../../src/runtime/t.cc, line 87\n#\n# args[0]->IsJSFunction()\n",
            new UserSpaceOptions { DetectV8RuntimeErrors = true })!;
        Assert.Equal(["args[0]->IsJSFunction() in t.cc"], report.CrashState);
    }

    [Fact]
    public void A_V8_check_keeps_its_numbers()
    {
        var report = UserSpaceCrashParser.Parse("#\n# Fatal error in ../../src/a.cc, line 9\n# Check failed: x < 3.\n#\n")!;
        Assert.Equal(["x < 3 in a.cc"], report.CrashState);
    }

    [Fact]
    public void Centipede_and_googletest_frames_under_a_fuzz_test_are_skipped()
    {
        var report = UserSpaceCrashParser.Parse(
            "==428==ERROR: AddressSanitizer: ABRT on unknown address 0x0539000001ac (pc 0x7c bp 0x7f sp 0x7f T0)\nSCARINESS: 10 (signal)\n"
            + "    #0 0x7c in raise /build/glibc-BHL3KM/glibc-2.31/sysdeps/unix/sysv/linux/raise.c:51:1\n"
            + "    #1 0x55 in my::Target(int) ../../test/fuzztest.cc:44:9\n"
            + "    #2 0x56 in centipede::RunOneInput(unsigned char const*, unsigned long) ../../third_party/fuzztest/src/centipede/runner.cc:586:39\n"
            + "    #3 0x57 in HandleExceptionsInMethodIfSupported<testing::Test, void> ../../third_party/googletest/src/googletest/src/gtest.cc:0:3\n"
            + "    #4 0x58 in RUN_ALL_TESTS ../../third_party/googletest/src/googletest/include/gtest/gtest.h:2284:73\n"
            + "SUMMARY: AddressSanitizer: ABRT (/lib/x86_64-linux-gnu/libc.so.6+0x4300b)\n==428==ABORTING\n")!;
        Assert.Equal("Abrt", report.CrashType);
        Assert.Equal(["my::Target"], report.CrashState);
    }

    [Fact]
    public void Skia_base_helpers_between_two_aborts_are_skipped()
    {
        var report = UserSpaceCrashParser.Parse(
            "==7== ERROR: libFuzzer: fuzz target exited\n"
            + "    #0 0x79 in ImmediateCrash base/immediate_crash.h:174:3\n"
            + "    #1 0x79 in SkAbort_FileLine(char const*, int, char const*, ...) skia/ext/google_logging.cc:42:3\n"
            + "    #2 0x79 in SkMutex::~SkMutex() third_party/skia/include/private/base/SkMutex.h:22:15\n"
            + "    #3 0x79 in SkMakeRuntimeEffect(char const*) third_party/skia/src/core/SkRuntimeEffectPriv.h:164:9\n"
            + "SUMMARY: libFuzzer: fuzz target exited\n")!;
        Assert.Equal(["ImmediateCrash", "SkMakeRuntimeEffect"], report.CrashState);
    }
}
