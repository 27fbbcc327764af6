using System.Text.RegularExpressions;

namespace Culprit.Crash.UserSpace;

/// <summary>
/// Which frames stay out of a crash state (ClusterFuzz's ignore list: sanitizer and fuzzer runtimes,
/// libc and libc++, allocators, assert and abort helpers, language runtimes' panic machinery,
/// toolchain paths) and how a kept frame is cut down to a function name.
/// </summary>
internal static class FrameRules
{
    private static readonly string[] Ignored =
    [
        // Exact function names.
        "abort$", "exit$", "pthread_create$", "pthread_kill$", "raise$", "tgkill$", "__chk_fail$", "__fortify_fail$",
        // Function-name prefixes.
        "(|__)aeabi_", "(|__)memcmp", "(|__)memcpy", "(|__)memmove", "(|__)memset", "(|__)strcmp", "(|__)strcpy",
        "(|__)strdup", "(|__)strlen", "(|__)strncpy", "<null>", @"Abort\(", "CFCrash", "ExitCallback", "IsSandboxedProcess",
        "LLVMFuzzerTestOneInput", "MSanAtExitWrapper", "New", "RaiseException", "SbSystemBreakIntoDebugger", "SignalAction",
        "SignalHandler", "TestOneProtoInput", "WTF::", "WTFCrash", "X11Error", "_L_unlock_", @"_\$LT\$", "__GI_",
        "__asan::", "__asan_", "__assert_", "__cxa_atexit", "__cxa_rethrow", "__cxa_throw", "__dump_stack", "__hwasan::",
        "__hwasan_", "__interceptor_", "__kasan_", "__libc_", "__lsan::", "__lsan_", "__msan::", "__msan_", "__pthread_kill",
        "__run_exit_handlers", "__rust_try", "__sanitizer::", "__sanitizer_", "__tsan::", "__tsan_", "__ubsan::", "__ubsan_",
        "_asan_", "_hwasan_", "_lsan_", "_msan_", "_objc_terminate", "_sanitizer_", "_start", "_tsan_", "_ubsan_", "abort",
        "alloc::", @"android\.app\.ActivityManagerProxy\.", @"android\.os\.Parcel\.", "art::Thread::CreateNativeThread",
        "asan_", @"asan\.module_ctor", @"asan\.module_dtor", "calloc", "check_memory_region", "common_exit",
        "core::fmt::write", "delete", "demangling_terminate_handler", "dump_backtrace", "dump_stack",
        "exit_or_terminate_process", @"fpehandler\(", "free", "fuzzer::", "g_log", "generic_cpp_", "gsignal", "kasan_",
        "libfuzzer_sys::initialize", "main", "malloc", "mozalloc_", "new", "object_err", "operator", "panic_abort::",
        "print_trailer", "realloc", "rust_begin_unwind", "rust_fuzzer_test_input", "rust_oom", "rust_panic", "scanf",
        "show_stack", "std::__terminate", "std::io::Write::write_fmt", "std::panic", "std::process::abort",
        "std::sys::unix::abort", "std::sys::backtrace", "std::sys_common::backtrace", "core::panic", "__rust_start_panic", "__scrt_common_main_seh", "libgcc_s.so.*",
        // Names containing.
        ".*ASAN_OnSIGSEGV", ".*BaseThreadInitThunk", ".*DebugBreak", ".*DefaultDcheckHandler", ".*ForceCrashOnSigAbort",
        ".*MemoryProtection::CMemoryProtector", ".*PartitionAlloc", ".*RtlFreeHeap", ".*RtlInitializeExceptionChain",
        ".*RtlReportCriticalFailure", ".*RtlUserThreadStart", ".*RtlpHeapHandleError", ".*RtlpLogHeapFailure", ".*SkDebugf",
        ".*StackDumpSignalHandler", ".*__android_log_assert", ".*__tmainCRTStartup", ".*_asan_rtl_", ".*agent::asan::",
        ".*allocator_shim", ".*asan_Heap", ".*asan_check_access", @".*asan_osx_dynamic\.dylib", ".*assert",
        ".*base::FuzzedDataProvider", ".*base::allocator", ".*base::android::CheckException", ".*base::debug::BreakDebugger",
        ".*base::debug::CollectStackTrace", ".*base::debug::StackTrace::StackTrace", @".*ieee754\-", ".*libpthread",
        ".*logger", ".*logging::CheckError",
        // Chrome's CHECK, DCHECK and NOTREACHED helpers (CheckLogMessage, NotReachedNoreturnError, ...).
        ".*logging::.*LogMessage", ".*logging::.*NoreturnError",
        ".*stdext::exception::what", ".*v8::base::OS::Abort", ".*Runtime_AbortCSADcheck",
        // Paths.
        ".* base/callback", ".* /rust(|c)/", @".*/AOSP\-toolchain/", @".*/bindings/ToV8\.h", ".*/crosstool/", ".*/gcc/",
        @".*/glibc\-", ".*/jemalloc/", @".*/libc\+\+", ".*/libc/", @".*/llvm\-build/", ".*/minkernel/crts/",
        ".*/sanitizer_common/", ".*/tcmalloc/", ".*/vc/include/", ".*/vctools/crt/", ".*/win_toolchain/", @".*libc\+\+/",
        "c:/clusterfuzz/bot/build", @".*/memorycmp\.c",
        // FuzzTest's own sources (its runner and engine), by path.
        ".*third_party/fuzztest/",
        // Unknown and inlined-frame markers.
        @".*\+Unknown", ".*<unknown module>", ".*Inline Function @", "<unknown>$", @"\[vdso\]$", "linux-gate.so.*$",
        // Go runtime.
        "panic$", @"runtime\.",
        // Other platforms and runtimes.
        "CrashTrampolineAsm", "libc_io_functions_not_implemented_use_fdio_instead", "<libclang_rt.asan.so>", "__zx_panic",
        "syslog::LogMessage", "print_address_description", "_etext", "_swift_stdlib_", ".*fuzztest::internal::",
        "V8_Fatal", "blink::ReportV8FatalError", "v8::api_internal::ToLocalEmpty", "absl::log_internal::",
        // Test-framework and abort helpers between a failure and the code that failed.
        "testing::", "SkAbort", @"SkMutex::~SkMutex", "absl::cleanup_internal::", "absl::Cleanup",
        // The Centipede engine's own frames (like libFuzzer's fuzzer::), googletest's sources (the frames
        // running a FUZZ_TEST) and Skia's base headers (its mutex and assert helpers that call SkAbort).
        ".*centipede::", ".*/googletest/", ".*/skia/include/private/base/",
    ];

    // Shared libraries that are runtime when the stack is symbolized.
    private static readonly string[] IgnoredIfSymbolized = [@".*libc\.so", @".*libc\+\+\.so", @".*libc\+\+_shared\.so", @".*libstdc\+\+\.so", @".*libc-.*\.so"];

    // Each pattern is tried at the start of the frame, as ClusterFuzz's re.match does; the matcher
    // turns the plain-text ones into prefix, name and substring checks.
    internal static readonly IReadOnlyList<string> IgnorePatterns = [.. Ignored, .. IgnoredIfSymbolized];

    private static readonly PatternListMatcher IgnoredFrames = new(IgnorePatterns);

    private static readonly Regex NameBeforeArguments = new(@"^(.*?)[\(\[]", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    public static bool Ignore(string frame)
    {
        if (frame.Length < 3)
            return true;
        if (frame.Contains('\\'))
            frame = frame.Replace('\\', '/');
        return IgnoredFrames.IsMatch(frame);
    }

    /// <summary>
    /// The function name of a frame: anonymous-namespace and thunk prefixes dropped, the part after
    /// a module's <c>!</c>, and everything from the first <c>(</c>, <c>[</c> or space cut off.
    /// </summary>
    public static string FunctionName(string frame)
    {
        frame = frame.Replace("non-virtual thunk to ", "", StringComparison.Ordinal)
            .Replace("(anonymous namespace)::", "", StringComparison.Ordinal)
            .Replace("`anonymous namespace'::", "", StringComparison.Ordinal);
        int bang = frame.LastIndexOf('!');
        if (bang >= 0)
            frame = frame[(bang + 1)..];
        var m = NameBeforeArguments.Match(frame);
        if (m.Success && m.Groups[1].Length > 0)
            return m.Groups[1].Value.Trim();
        frame = frame.Trim();
        int space = frame.IndexOf(' ');
        return space < 0 ? frame : frame[..space];
    }
}
