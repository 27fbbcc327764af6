using System.Text.RegularExpressions;

namespace Culprit.Crash.UserSpace;

/// <summary>
/// The report lines ClusterFuzz's stack parser recognises, as anchored regular expressions (each is
/// tried at the start of a line only). Each is guarded in <see cref="LineRules"/> by a literal the line
/// must contain, so most lines of a long log never reach a regex.
/// </summary>
internal static class UserSpacePatterns
{
    private const RegexOptions Opts = RegexOptions.CultureInvariant | RegexOptions.Compiled;

    private static Regex At(string pattern, bool ignoreCase = false) =>
        new("^(?:" + pattern + ")", Opts | (ignoreCase ? RegexOptions.IgnoreCase : 0));

    private const string SourceExtensions = "c|cc|cpp|cxx|h|hh|hpp|hxx";
    private const string GoogleFatalPrefix = @"F\d{4}\s+\d{2}:\d{2}:\d{2}\.\d+\s+\d+\s+(.*):\d+\]";

    // Assertions.
    public static readonly Regex Assert = At(@"(?:\[.*?\]|.*\.(?:" + SourceExtensions + @"):.*)?\s*(?:ASSERT(?:ION)? FAIL(?:URE|ED)|panic): (.*)", ignoreCase: true);
    public static readonly Regex AssertGoogle = At(GoogleFatalPrefix + @".*assertion failed at\s.*\sin\s*.*: (.*)");
    public static readonly Regex AssertGlibc = At(@".*:\s*assertion [`'""]?(.*?)[`'""]? failed\.?$", ignoreCase: true);
    public static readonly Regex AssertGlibcSuffixed = At(@".*\S.*\/.*:\d+:\s*assertion .* failed:\s*(\S.*)");
    public static readonly Regex RustPanic = At(@"thread\s.*\spanicked at '([^']*)", ignoreCase: true);
    public static readonly Regex AssertNotReached = At(@"\s*SHOULD NEVER BE REACHED\s*$");

    // Debuggers.
    public static readonly Regex GdbSignal = At(@"Program received signal ([a-zA-Z]+),");
    public static readonly Regex GdbRip = At(@"rip[ ]+([xX0-9a-fA-F]+)");
    public static readonly Regex GdbFrameAddress = At(@"(0[xX][0-9a-fA-F]+)\s+in\s+");
    public static readonly Regex MacGdbAddress = At(@"Reason:.*at address[^0-9]*([0-9a-zA-Z]+)");

    // Sanitizers.
    public static readonly Regex MsanTsan = At(@".*(ThreadSanitizer|MemorySanitizer):\s+(?!ABRT)(?!ILL)([^(:]+)");
    public static readonly Regex UbsanVptr = At(@"(.*): runtime error: (member access within|member call on|downcast of) address ([xX0-9a-fA-F]+) .* of type (.*)");
    public static readonly Regex UbsanVptrDowncast = At(@".*note: object is of type (.*)");
    public static readonly Regex CfiDowncast = At(@".*note: vtable is of type (.*)");
    public static readonly Regex UbsanInvalidVptr = At(@".*note: object has invalid vptr");
    public static readonly Regex CfiInvalidVptr = At(@".*note: invalid vtable$");
    public static readonly Regex CfiDefinedHere = At(@".*note: .* defined here$");
    public static readonly Regex UbsanVptrOffset = At(@".*at offset (\d+) within object of type (.*)");
    public static readonly Regex CfiError = At(@"(.*): runtime error: control flow integrity check for type (.*) failed during (.*vtable address ([xX0-9a-fA-F]+)|.*)");
    public static readonly Regex CfiNoDebug = At(@"CFI: Most likely a control flow integrity violation;.*");
    public static readonly Regex UbsanRuntimeError = At(@"(.*): runtime error: (.*)");
    public static readonly Regex MemcpyOverlap = At(@".*(AddressSanitizer).*memcpy-param-overlap[^\[]*([\[].*[)])");
    public static readonly Regex SanSegv = At(@".*([a-zA-Z]+Sanitizer).*(SEGV|access-violation) on unknown address ([xX0-9a-fA-F]+)");
    public static readonly Regex InvalidFree = At(@".*AddressSanitizer: attempting free on address which was not malloc\(\)-ed: ([xX0-9a-fA-F]+)");
    public static readonly Regex DoubleFree = At(@".*(AddressSanitizer).*double-free on (unknown address |address |)([xX0-9a-fA-F]+)");
    public static readonly Regex SanFpe = At(@".*[a-zA-Z]+Sanitizer: FPE ");
    public static readonly Regex SanAbrt = At(@".*[a-zA-Z]+Sanitizer: ABRT ");
    public static readonly Regex SanBreakpoint = At(@".*[a-zA-Z]+Sanitizer: breakpoint ");
    public static readonly Regex SanIll = At(@".*[a-zA-Z]+Sanitizer: ILL ");
    public static readonly Regex SanTrap = At(@".*[a-zA-Z]+Sanitizer: TRAP ");
    public static readonly Regex SanAddress = At(@".*(ERROR: [a-zA-Z]+Sanitizer)[: ]*(.*) on (unknown address |address |)([xX0-9a-fA-F]+)");
    public static readonly Regex WindowsSanIll = At(@".*[a-zA-Z]+Sanitizer: illegal-instruction");
    public static readonly Regex SegvAccessType = At(@".*The signal is caused by a ([A-Z]+) memory access.");
    public static readonly Regex AccessSizeAddress = At(@"[ ]*([^ ]*|Atomic [^ ]*) of size ([^ ]*) at ([^ ]*)");
    public static readonly Regex SignalWithFaultAddress = At(@".*signal.*\(SIG.*fault addr ([^ ]*)(.*)");
    public static readonly Regex ProcessName = At(@".*[(](.*)[)]$");
    public static readonly Regex AbortMessage = At(@"Abort message: (.*)");
    public static readonly Regex SanCheckFailure = At(@".*Sanitizer CHECK failed[:]\s*[^ ]*\s*(.*)");
    public static readonly Regex SecurityCheckFailure = At(@".*\[[^\]]*[:]([^\](]*).*\].*Security CHECK failed[:]\s*(.*)\.\s*");
    public static readonly Regex SecurityDcheckFailure = At(@".*\[[^\]]*[:]([^\](]*).*\].*Security DCHECK failed[:]\s*(.*)\.\s*");
    public static readonly Regex AsanGeneric = At(@".*ERROR: (HWAddressSanitizer|AddressSanitizer)[: ]*[ ]*([^(:;]+)");
    public static readonly Regex HwasanTailOverwritten = At(@".*ERROR: HWAddressSanitizer: allocation-tail-overwritten; heap object \[([xX0-9a-fA-F]+),.*of size");
    public static readonly Regex SanDeadlySignal = At(@"(Address|Leak|Memory|UndefinedBehavior|Thread)Sanitizer:DEADLYSIGNAL");

    // Fuzzers, OOMs and timeouts.
    public static readonly Regex LibFuzzerTimeout = At(@".*ERROR:\s*libFuzzer:\s*timeout");
    public static readonly Regex CentipedeTimeout = At(@"========= Timeout of \d+ seconds exceeded; exiting|========= Per-input timeout exceeded:");
    public static readonly Regex CentipedeStackLimit = At(@"========= Stack limit exceeded: \d+ > \d+ \(byte\); aborting$");
    public static readonly Regex V8SandboxViolation = At(@"## V8 sandbox violation detected!$");
    public static readonly Regex LibFuzzerDeadlySignal = At(@".*ERROR:\s*libFuzzer:\s*deadly signal");
    public static readonly Regex LibFuzzerTargetExited = At(@".*ERROR:\s*libFuzzer:\s*fuzz target exited");
    public static readonly Regex LibFuzzerOverwritesConstInput = At(@".*ERROR:\s*libFuzzer:\s*fuzz target overwrites its const input");
    // Unanchored (the line holds no newline, so "^.*(?:...).*" is a search anywhere): one vectorised pass.
    public static readonly Regex OutOfMemory = new("(?:" + string.Join("|",
        @"# Allocation failed.*out of memory", @"::OnNoMemory", @"ERROR.*Sanitizer failed to allocate",
        @"FatalProcessOutOfMemory", @"Fatal (?:process|JavaScript) out of memory:", @"Fatal JavaScript invalid size error",
        @"FX_OutOfMemoryTerminate", @"Out of memory\. Dying.", @"Out of memory\. size=", @"Sanitizer: allocation-size-too-big",
        @"Sanitizer: calloc-overflow", @"Sanitizer: calloc parameters overflow",
        @"Sanitizer: requested allocation size.*exceeds maximum supported size", @"Sanitizer: out of memory",
        @"TerminateBecauseOutOfMemory", @"allocator is out of memory trying to allocate", @"blinkGCOutOfMemory",
        @"couldnt allocate.*Out of memory", @"libFuzzer: out-of-memory \(", @"rss limit exhausted", @"in rust_oom",
        @"Failure description: out-of-memory", @"========= RSS limit exceeded:", @"A device memory allocation has failed\.",
        @"__rust_alloc_error_handler") + ")", Opts);

    // Runtimes: Java, V8, Go, Python, JavaScript, CHECKs.
    public static readonly Regex GpuFailure = At(@".*GPU process exited unexpectedly.*");
    public static readonly Regex JazzerSecurityException = At(@"== Java Exception: .*FuzzerSecurityIssue");
    public static readonly Regex JazzerException = At(@"== Java Exception: .*");
    public static readonly Regex WycheproofException = At(@".*\) (.*\(com\.google\.security\.wycheproof\.[a-zA-z0-9]*\))");
    public static readonly Regex AndroidFatalException = At(@".*FATAL EXCEPTION.*:");
    public static readonly Regex GoogleLogFatal = At(GoogleFatalPrefix + @"\s*(.*)");
    // Chrome's log prefix names the file with its line, as file(line) or file:line; NOTREACHED() is a CHECK failure too.
    // Chrome's fuzzing builds end the condition with a semicolon and print the run's values after it: the
    // condition alone is the failure.
    private const string ChromeFatalFile = @"\s*\[[^\]]*[:]([^\](]*\([0-9]+\)|[^\]:]*[:][0-9]+).*\]";
    public static readonly Regex ChromeCheckFailure = At(ChromeFatalFile + @".*(?:Check failed:|NOTREACHED hit.)\s*([^;]*)");
    public static readonly Regex ChromeDcheckFailure = At(ChromeFatalFile + @".*(?:DCHECK failed:)\s*([^;]*)");
    public static readonly Regex GoogleCheckFailure = At(GoogleFatalPrefix + @"\s*Check failed[:]\s*(.*)");
    public static readonly Regex FatalError = At(@"#\s*Fatal error in (.*)");
    public static readonly Regex FatalErrorLine = At(@"#\s*Fatal error in (.*), line [0-9]+");
    public static readonly Regex FatalErrorGeneric = At(@"#\s+()(.*)");
    public static readonly Regex FatalErrorCheck = At(@"#\s+(Check failed: |RepresentationChangerError: node #\d+:)(.*)");
    public static readonly Regex FatalErrorDcheck = At(@"#\s+(Debug check failed: )(.*)");
    public static readonly Regex FatalErrorUnreachable = At(@"# un(reachable|implemented) code");
    public static readonly Regex RuntimeError = At(@"#\s*Runtime error in (.*)");
    public static readonly Regex RuntimeErrorLine = At(@"#\s*Runtime error in (.*), line [0-9]+");
    public static readonly Regex V8AbortFailure = At(@"abort: (CSA_(?:ASSERT|DCHECK) failed:.*)");
    public static readonly Regex V8AbortMetadata = At(@"(.*?) \[([^\]]*?):\d+\]");
    public static readonly Regex V8Error = At(@"\s*\[[^\]]*\] V8 error: (.+)\.$");
    public static readonly Regex V8CorrectnessFailure = At(@"#\s*V8 correctness failure");
    public static readonly Regex V8CorrectnessMetadata = At(@"#\s*V8 correctness ((configs|sources|suppression): .*)");
    public static readonly Regex GenericSegvHandler = At(@".*Received signal 11 (?:SEGV_[A-Z]+|<unknown>) ([0-9a-f]*)");
    public static readonly Regex LibraryNotFoundAndroid = At(@".*: library ([`'""])(.*)\1 not found");
    public static readonly Regex LibraryNotFoundLinux = At(@".*error while loading shared libraries: ([^:]*): cannot open shared object file");
    public static readonly Regex GoFatalError = At(@"fatal error: (.*)");
    public static readonly Regex JazzerJsUncaught = At(@"\s*==\d+== Uncaught Exception: Jazzer.js: .*");
    public static readonly Regex PythonUncaught = At(@"\s*=== Uncaught Python exception: ===$");
    public static readonly Regex PySecSan = At(@"===BUG DETECTED: PySecSan:");
    public static readonly Regex CommandInjection = At(@"===BUG DETECTED: Shell (corruption|injection)===");
    public static readonly Regex ArbitraryFileOpen = At(@"===BUG DETECTED: Arbitrary file open===");
    public static readonly Regex ArbitraryDns = At(@"===BUG DETECTED: Arbitrary domain name resolution===");
    public static readonly Regex WindowsStackStart = At(@"ChildEBP RetAddr");

    public static readonly (Regex Pattern, string Type)[] GoPanics =
    [
        (At(@".*runtime error: integer divide by zero.*"), "Integer divide by zero"),
        (At(@".*runtime error: index out of range.*"), "Index out of range"),
        (At(@".*runtime error: invalid memory address.*"), "Invalid memory address"),
        (At(@".*runtime error: makeslice: len out of range.*"), "Makeslice: len out of range"),
        (At(@".*runtime error: slice bounds out of range.*"), "Slice bounds out of range"),
        (At(@"fatal error: stack overflow.*"), "Stack overflow"),
    ];

    /// <summary>UBSan's runtime-error reasons, most specific first (the last two contain others).</summary>
    public static readonly (Regex Pattern, string Type)[] UbsanReasons =
    [
        (At(@".*division by zero.*"), "Divide-by-zero"),
        (At(@".*assumption is violated.*"), "Assumption-violation"),
        (At(@".*outside the range of representable values.*"), "Float-cast-overflow"),
        (At(@".*implicit conversion from type.*"), "Implicit-conversion"),
        (At(@".*call to function [^\s]+ through pointer to incorrect function type.*"), "Incorrect-function-pointer-type"),
        (At(@".*out of bounds for type.*"), "Index-out-of-bounds"),
        (At(@".*not a valid value for type '(bool|BOOL)'.*"), "Invalid-bool-value"),
        (At(@".*, which is not a valid argument.*"), "Invalid-builtin-use"),
        (At(@".*misaligned address.*"), "Misaligned-address"),
        (At(@".*reached the end of a value-returning function.*"), "No-return-value"),
        (At(@".*null pointer passed as .*, which is declared to never be null.*"), "Invalid-null-argument"),
        (At(@".*load of null pointer.*"), "Null-dereference READ"),
        (At(@".*(binding to|access within|call on) null pointer.*"), "Null-dereference"),
        (At(@".*store to null pointer.*"), "Null-dereference WRITE"),
        (At(@".*address .* with insufficient space for an object of type.*"), "Object-size"),
        (At(@".*((addition|subtraction) of unsigned offset |pointer index expression with base |applying non-zero offset [0-9]+ to null pointer|applying zero offset to null pointer).*"), "Pointer-overflow"),
        (At(@".*null pointer returned from function declared to never return null.*"), "Invalid-null-return"),
        (At(@".*shift.*"), "Undefined-shift"),
        (At(@".*execution reached an unreachable program point.*"), "Unreachable code"),
        (At(@".*unsigned integer overflow.*"), "Unsigned-integer-overflow"),
        (At(@".*upcast of null pointer of type.*"), "Upcast-of-null-pointer"),
        (At(@".*variable length array bound evaluates to non-positive value.*"), "Non-positive-vla-bound-value"),
        (At(@".*not a valid value for type.*"), "Invalid-enum-value"),
        (At(@".*(integer overflow|(negation|division) of.*cannot be represented in type).*"), "Integer-overflow"),
    ];

    // Stack frames other than the sanitizers' (those are split by hand in StackFrames).
    public static readonly Regex ChromeFrame = At(@"[ ]*(#([0-9]+)[ ]([xX0-9a-fA-F]+)[ ])([^/\\]+)$");
    public static readonly Regex WindowsCdbFrame = At(@"([0-9a-zA-Z`]+) ([0-9a-zA-Z`]+) ([0-9a-zA-Z_]+)!(.*)\+([xX0-9a-fA-F]+)");
    public static readonly Regex ChromeMacFrame = At(@"(\d+)\s+(([\w ]+)|(\?\?\?))\s+([xX0-9a-fA-F]+)\s+([^/\\]+)\s*\+\s*(\d+)");
    public static readonly Regex ChromeWinFrame = At(@"[ ]*([^/\\]+) \[([xX0-9a-fA-F]+)\+(\d+)\]( \((.*):(\d+)\))?");
    public static readonly Regex JavaFrame = At(@"\s*at (.*)\(.*\)");
    public static readonly Regex KernelFrame = At(@"[^(]*\[\<([x0-9a-fA-F]+)\>\]\s+\(?(([\w]+)\+([\w]+)/[\w]+)\)?");
    public static readonly Regex KernelFrameNoAddress = At(@"\(?(([\w]+)\+([\w]+)/[\w]+)\)?");
    public static readonly Regex GoFrame = At(@"([0-9a-zA-Z.\-_\\/()*]+)\([x0-9a-f\s,\.{}]*\)$");
    public static readonly Regex PythonFrame = At(@"\s*File ""([^""]+)"", line (\d+), in (.+)$");
    public static readonly Regex JazzerJsFrame = At(@"\s* at ([^\s]+) \(.*:\d+:\d+\)");
    public static readonly Regex GsignalTopFrame = new(@"^[ \t]+#0[ \t]+0x[0-9a-f]+[ \t]+in gsignal ", Opts);
    public static readonly Regex FuzzerSecurityIssue = new("FuzzerSecurityIssue(Critical|High|Medium|Low)", Opts);
    public static readonly Regex JniSecurityError = new("JNI DETECTED ERROR[^\n]+(deleted|invalid|unexpected|unknown|wrong)", Opts);
    public static readonly Regex SanSignalScariness = new(@"SCARINESS: (\d+) \(signal\)", Opts);
}
