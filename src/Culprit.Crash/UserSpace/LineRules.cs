using System.Buffers;
using System.Text.RegularExpressions;
using static Culprit.Crash.UserSpace.UserSpacePatterns;

namespace Culprit.Crash.UserSpace;

/// <summary>
/// ClusterFuzz's stack-parser rules, applied to one line at a time in its order: assertions first,
/// then each tool's error line (a later crash line of a kind that resets replaces the state), then
/// stack frames once a crash type is known. Every regex sits behind a cheap literal check.
/// </summary>
internal sealed class LineRules(UserSpaceOptions options, LogFlags flags, bool pythonMode)
{
    private static readonly HashSet<string> TypesKeptOverAbort = new(StringComparer.Ordinal)
    {
        "Arbitrary file open", "ASSERT", "CHECK failure", "Command injection", "DCHECK failure", "Fatal error",
        "Security CHECK failure", "Security DCHECK failure", "V8 API error", "V8 sandbox violation",
        // The abort that follows a named failure is its mechanism, not another crash.
        "Out-of-memory", "Unreachable code", "Stack-overflow", "Timeout",
    };

    private static readonly string[] StopMarkers =
    [
        "Direct leak of", "Uninitialized value was stored to memory at", "allocated by thread", "created by main thread at",
        "located in stack of thread", "previously allocated by",
    ];

    private static readonly HashSet<string> JavaFrameTypes = new(StringComparer.Ordinal)
    {
        "CHECK failure", "Fatal Exception", "Uncaught exception", "Security exception",
    };

    private readonly LineWords _words = new();

    public ParseState State { get; } = new();

    /// <summary>Set when an out-of-memory line ends the analysis with no crash (OOM detection off).</summary>
    public bool BailedOut { get; private set; }

    private bool IsGo => flags.IsGo;

    private bool IsJs => flags.IsJazzerJs;

    /// <summary>Applies the rules to <paramref name="line"/>, whose words a <see cref="LineWords.Scanner"/> scan found.</summary>
    public void Apply(string line, UInt128 found)
    {
        _words.Use(line, found);
        Apply(line);
    }

    public void Apply(string line)
    {
        var st = State;
        if (BailedOut || st.ProcessDied)
            return;
        var found = _words.Found(line);
        if (IsSanitizerFrameLine(line) ? (found & LineWords.FrameLine) == 0 : !StartsRuleLine(line) && (found & LineWords.RuleLine) == 0 && line.Length <= LineReader.MaxLineChars)
        {
            if (st.CrashType.Length > 0 && !(line.Contains("/art/runtime/", StringComparison.Ordinal) && st.CrashState.Contains("JNI DETECTED ERROR IN APPLICATION:", StringComparison.Ordinal)))
                StackFrames.Add(line, st, IsGo, pythonMode, IsJs);
            return;
        }
        if (IgnoredLine(line, st))
            return;
        bool sanitizer = _words.Contains(line, "Sanitizer");
        if (!options.DetectOomsAndHangs && MayBeOom(line) && OutOfMemory.IsMatch(line))
        {
            BailedOut = true;
            return;
        }
        if (sanitizer && TypesKeptOverAbort.Contains(st.CrashType) && line.Contains("Sanitizer: ", StringComparison.Ordinal)
            && (SanAbrt.IsMatch(line) || SanBreakpoint.IsMatch(line) || SanIll.IsMatch(line) || SanTrap.IsMatch(line)))
            return;

        Asserts(line, st);

        if (_words.Contains(line, "SHOULD NEVER") && AssertNotReached.IsMatch(line))
        {
            st.Reset();
            st.SetType("ASSERT_NOT_REACHED");
        }
        Debuggers(line, st);

        if (sanitizer && !_words.Contains(line, " suppressions") && !_words.Contains(line, " warnings")
            && (line.Contains("ThreadSanitizer:", StringComparison.Ordinal) || line.Contains("MemorySanitizer:", StringComparison.Ordinal)) && MsanTsan.Match(line) is { Success: true } msan)
        {
            st.Reset();
            st.SetType(Capitalize(msan.Groups[2].Value.Trim()));
        }
        if ((st.CrashType.Length == 0 || st.CrashType == "Indirect-leak") && line.StartsWith("Direct leak of ", StringComparison.Ordinal))
        {
            st.Reset();
            st.SetType("Direct-leak");
        }
        if (st.CrashType.Length == 0 && line.StartsWith("Indirect leak of ", StringComparison.Ordinal))
        {
            st.Reset();
            st.SetType("Indirect-leak");
        }
        BadCasts(line, st);

        if (IsGo && (_words.Contains(line, "runtime error: ") || line.StartsWith("fatal error: stack overflow", StringComparison.Ordinal)))
        {
            foreach (var (pattern, type) in GoPanics)
            {
                if (pattern.IsMatch(line))
                {
                    st.SetType(type);
                    st.FoundGoCrash = true;
                    st.CrashState = "";
                    st.FrameCount = 0;
                }
            }
        }
        bool runtimeError = _words.Contains(line, ": runtime error: ");
        if (runtimeError && st.CrashType.Length == 0 && options.IncludeUbsan && UbsanRuntimeError.Match(line) is { Success: true } ubsan)
        {
            string reason = ubsan.Groups[2].Value;
            st.CrashType = "UNKNOWN";
            foreach (var (pattern, type) in UbsanReasons)
            {
                if (pattern.IsMatch(reason))
                {
                    st.SetType(type);
                    break;
                }
            }
            st.Reset();
        }
        if (sanitizer && _words.Contains(line, "memcpy-param-overlap") && MemcpyOverlap.Match(line) is { Success: true } overlap)
        {
            st.Reset();
            st.SetType("Memcpy-param-overlap");
            st.CrashAddress = overlap.Groups[2].Value.Trim();
        }
        if (pythonMode && _words.Contains(line, "==="))
        {
            if (PythonUncaught.IsMatch(line))
                PythonCrash(st, "Uncaught exception");
            if (PySecSan.IsMatch(line))
                PythonCrash(st, "PySecSan");
        }
        if (IsJs && _words.Contains(line, "Uncaught Exception: Jazzer.js") && JazzerJsUncaught.IsMatch(line))
        {
            st.SetType("Uncaught exception");
            st.FoundPythonCrash = true;
            st.CrashState = "";
            st.FrameCount = 0;
            return;
        }
        if (sanitizer && SanitizerErrors(line, st))
            return;
        if (st.CrashType == "UNKNOWN" && _words.Contains(line, "The signal is caused by a ") && SegvAccessType.Match(line) is { Success: true } access && access.Groups[1].Value != "UNKNOWN")
            st.CrashType += " " + access.Groups[1].Value;
        if (_words.Contains(line, " of size ") && AccessSizeAddress.Match(line) is { Success: true } sized)
        {
            st.CrashAddress = sized.Groups[3].Value.Trim();
            if (!st.CrashType.StartsWith("UNKNOWN", StringComparison.Ordinal))
                st.CrashType += $"\n{sized.Groups[1].Value.ToUpperInvariant()} {sized.Groups[2].Value}";
        }
        if (_words.Contains(line, "fault addr"))
            SignalWithFaultAddressLine(line, st);
        if (line.StartsWith("Abort message: ", StringComparison.Ordinal))
            AbortMessageLine(line, st);
        if (_words.Contains(line, "===BUG DETECTED: "))
        {
            if (CommandInjection.IsMatch(line)) st.SetType("Command injection");
            if (ArbitraryFileOpen.IsMatch(line)) st.SetType("Arbitrary file open");
            if (ArbitraryDns.IsMatch(line)) st.SetType("Arbitrary DNS resolution");
            if (PySecSan.IsMatch(line)) st.SetType("PySecSan");
        }
        if (sanitizer && _words.Contains(line, "Sanitizer CHECK failed") && SanCheckFailure.Match(line) is { Success: true } sanCheck)
        {
            st.SetType("Sanitizer CHECK failure");
            st.CrashAddress = "";
            st.FrameCount = ParseState.MaxStateFrames;
            st.CrashState = sanCheck.Groups[1].Value + "\n";
            st.ProcessDied = true;
            return;
        }
        if (_words.Contains(line, "Security CHECK failed"))
            CheckFailure(line, st, SecurityCheckFailure, "Security CHECK failure");
        if (_words.Contains(line, "Security DCHECK failed"))
            CheckFailure(line, st, SecurityDcheckFailure, "Security DCHECK failure");
        if (options.DetectOomsAndHangs)
        {
            if ((_words.Contains(line, "libFuzzer") && LibFuzzerTimeout.IsMatch(line)) || (line.StartsWith("=========", StringComparison.Ordinal) && CentipedeTimeout.IsMatch(line)))
            {
                st.Reset();
                st.SetType("Timeout");
            }
            if (MayBeOom(line) && OutOfMemory.IsMatch(line))
            {
                st.Reset();
                st.SetType("Out-of-memory");
            }
        }
        if (line.StartsWith("=========", StringComparison.Ordinal) && CentipedeStackLimit.IsMatch(line))
            st.SetType("Stack-overflow");
        // Outranks the sanitizer's report around it: the type says the V8 sandbox was escaped, the state stays the report's.
        if (_words.Contains(line, "V8 sandbox violation detected!") && V8SandboxViolation.IsMatch(line))
            st.SetType("V8 sandbox violation");
        if (st.CrashType.Length == 0)
            FirstCrashLine(line, st, sanitizer);
        if (st.FatalErrorOccurred && line.Length > 0 && line[0] == '#' && FatalErrorDetails(line, st))
            return;
        if (line.StartsWith("ChildEBP RetAddr", StringComparison.Ordinal))
        {
            st.CrashState = "";
            st.FrameCount = 0;
        }
        if (st.CrashState.Length > 0 && HasStopMarker(line))
        {
            st.FrameCount = ParseState.MaxStateFrames;
            return;
        }
        if (st.CrashType.Length == 0)
            return;
        if (st.CrashState.Contains("JNI DETECTED ERROR IN APPLICATION:", StringComparison.Ordinal) && _words.Contains(line, "/art/runtime/"))
            return;
        StackFrames.Add(line, st, IsGo, pythonMode, IsJs);
    }

    private bool IgnoredLine(string line, ParseState st) =>
        st.ProcessDied
        || _words.Contains(line, "SUMMARY:")
        || _words.Contains(line, ":INFO:CONSOLE")
        || _words.Contains(line, "WARNING: AddressSanitizer")
        || _words.Contains(line, "failed to mprotect 0x00010000")
        || _words.Contains(line, "text run at (")
        || _words.Contains(line, "Please include Java exception stack in crash report")
        || (_words.Contains(line, "Sanitizer:DEADLYSIGNAL") && SanDeadlySignal.IsMatch(line))
        || line.Length > 1024 * 1024;

    private bool MayBeOom(string line) => (_words.Found(line) & LineWords.Oom) != 0;

    /// <summary>
    /// Lines whose rules key on how the line starts rather than on a word in it. V8's <c>#</c> rules all
    /// need a space or a letter after the <c>#</c>, so an unindented frame (<c>#0 0x...</c>) is not one.
    /// </summary>
    private static bool StartsRuleLine(string line) =>
        line.Length > 0 && (line[0] == 'F' || (line[0] == '#' && !(line.Length > 1 && char.IsAsciiDigit(line[1])))
            || line.StartsWith("rip", StringComparison.Ordinal)
            || line.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || line.StartsWith("Reason:", StringComparison.Ordinal));

    /// <summary>Indentation, <c>#</c> and a digit: most lines of a sanitizer report.</summary>
    private static bool IsSanitizerFrameLine(string line)
    {
        int i = 0;
        while (i < line.Length && line[i] is ' ' or '\t')
            i++;
        return i > 0 && i + 1 < line.Length && line[i] == '#' && char.IsAsciiDigit(line[i + 1]);
    }

    private static readonly SearchValues<string> AssertOrPanic = SearchValues.Create(["assert", "panic"], StringComparison.OrdinalIgnoreCase);

    private static void Asserts(string line, ParseState st)
    {
        // One case-insensitive scan for both words; most lines hold neither.
        bool either = line.AsSpan().IndexOfAny(AssertOrPanic) >= 0;
        bool assertWord = either && line.Contains("assert", StringComparison.OrdinalIgnoreCase);
        if (either && AssertHeads(line))
            MatchAssert(line, st, Assert, 1);
        if (line.Length > 0 && line[0] == 'F' && assertWord)
            MatchAssert(line, st, AssertGoogle, 2);
        if (assertWord)
        {
            if (line.Contains("assertion ", StringComparison.OrdinalIgnoreCase) && line.Contains("failed", StringComparison.OrdinalIgnoreCase))
                MatchAssert(line, st, AssertGlibc, 1);
            if (line.Contains("assertion ", StringComparison.Ordinal) && line.Contains(" failed:", StringComparison.Ordinal))
                MatchAssert(line, st, AssertGlibcSuffixed, 1);
        }
        if (line.StartsWith("thread", StringComparison.OrdinalIgnoreCase) && line.Contains("panicked at '", StringComparison.OrdinalIgnoreCase))
            MatchAssert(line, st, RustPanic, 1);
    }

    /// <summary>What <see cref="UserSpacePatterns.Assert"/> needs: <c>assert[ion] fail</c> or <c>panic: </c>, any case.</summary>
    private static bool AssertHeads(string line) =>
        line.Contains("panic: ", StringComparison.OrdinalIgnoreCase) || line.Contains("assert fail", StringComparison.OrdinalIgnoreCase)
        || line.Contains("assertion fail", StringComparison.OrdinalIgnoreCase);

    private static void MatchAssert(string line, ParseState st, Regex pattern, int group)
    {
        var m = pattern.Match(line);
        if (!m.Success)
            return;
        st.SetType("ASSERT");
        st.FrameCount = 1;
        if (m.Groups[group].Length > 0)
            st.CrashState = m.Groups[group].Value + "\n";
    }

    private static void Debuggers(string line, ParseState st)
    {
        if (line.StartsWith("Program received signal ", StringComparison.Ordinal) && GdbSignal.Match(line) is { Success: true } gdb)
            st.SetType(gdb.Groups[1].Value.Trim().ToUpperInvariant());
        if (line.StartsWith("rip", StringComparison.Ordinal) && GdbRip.Match(line) is { Success: true } rip)
            st.CrashAddress = rip.Groups[1].Value.Trim();
        if (line.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && GdbFrameAddress.Match(line) is { Success: true } frame)
            st.CrashAddress = frame.Groups[1].Value.Trim();
        if (line.StartsWith("Reason:", StringComparison.Ordinal) && MacGdbAddress.Match(line) is { Success: true } mac)
            st.CrashAddress = mac.Groups[1].Value.Trim();
    }

    private void BadCasts(string line, ParseState st)
    {
        bool runtimeError = _words.Contains(line, ": runtime error: ");
        if (runtimeError && st.CrashType.Length == 0 && options.IncludeUbsan && UbsanVptr.Match(line) is { Success: true } vptr)
        {
            st.SetType("Bad-cast");
            st.FrameCount = 0;
            st.CrashAddress = vptr.Groups[3].Value.Trim();
            st.CrashState = "Bad-cast to " + vptr.Groups[4].Value.Trim('\'');
            st.FoundBadCastEnd = false;
        }
        if (st.CrashType == "Bad-cast" && !st.FoundBadCastEnd && _words.Contains(line, "note: ") | _words.Contains(line, " within object of type"))
        {
            var downcast = UbsanVptrDowncast.Match(line);
            if (!downcast.Success)
                downcast = CfiDowncast.Match(line);
            if (downcast.Success)
            {
                st.CrashState += " from " + downcast.Groups[1].Value.Trim('\'');
                st.FoundBadCastEnd = true;
            }
            if (UbsanInvalidVptr.IsMatch(line) || CfiInvalidVptr.IsMatch(line))
            {
                st.CrashState += " from invalid vptr";
                st.FoundBadCastEnd = true;
            }
            if (CfiDefinedHere.IsMatch(line))
                st.FoundBadCastEnd = true;
            if (UbsanVptrOffset.Match(line) is { Success: true } offset)
            {
                st.CrashState += " from base class subobject at offset " + offset.Groups[1].Value;
                st.FoundBadCastEnd = true;
            }
            if (st.FoundBadCastEnd)
            {
                st.CrashState += "\n";
                st.FrameCount++;
            }
        }
        if (runtimeError && st.CrashType.Length == 0 && _words.Contains(line, "control flow integrity") && CfiError.Match(line) is { Success: true } cfi)
        {
            st.SetType("Bad-cast");
            st.FrameCount = 0;
            st.CrashState = "Bad-cast to " + cfi.Groups[2].Value.Trim('\'');
            if (cfi.Groups[4].Success && cfi.Groups[4].Length > 0)
                st.CrashAddress = cfi.Groups[4].Value;
            st.FoundBadCastEnd = false;
        }
        if (st.CrashType.Length == 0 && line.StartsWith("CFI: Most likely", StringComparison.Ordinal) && CfiNoDebug.IsMatch(line))
        {
            st.SetType("Bad-cast");
            st.FrameCount = 0;
        }
    }

    private static void PythonCrash(ParseState st, string type)
    {
        st.SetType(type);
        st.FoundPythonCrash = true;
        st.CrashState = "";
        st.FrameCount = 0;
    }

    /// <summary>The sanitizers' own error lines; true when the line is used up.</summary>
    private bool SanitizerErrors(string line, ParseState st)
    {
        if (line.Contains(" on unknown address ", StringComparison.Ordinal) && SanSegv.Match(line) is { Success: true } segv)
        {
            string address = segv.Groups[3].Value;
            if (st.CrashType.Contains("ASSERT", StringComparison.Ordinal)
                && (CrashAddresses.IsAssertAddress(CrashAddresses.ToInteger(address)) || flags.SignalScariness))
                return true;
            st.SetType("UNKNOWN");
            st.CrashAddress = address;
            st.CrashState = "";
            st.FrameCount = 0;
            return true;
        }
        if (line.Contains("attempting free on address", StringComparison.Ordinal) && InvalidFree.Match(line) is { Success: true } invalid)
        {
            st.Reset();
            st.SetType("Invalid-free");
            st.CrashAddress = invalid.Groups[1].Value.Trim();
            return true;
        }
        if (line.Contains("double-free on ", StringComparison.Ordinal) && DoubleFree.Match(line) is { Success: true } doubleFree)
        {
            st.Reset();
            st.SetType("Heap-double-free");
            st.CrashAddress = doubleFree.Groups[3].Value.Trim();
            return true;
        }
        if (line.Contains("Sanitizer: FPE ", StringComparison.Ordinal) && SanFpe.IsMatch(line))
        {
            st.Reset();
            st.SetType("Floating-point-exception");
            return true;
        }
        if (!st.FoundGoCrash && !st.FoundPythonCrash && line.Contains(" on ", StringComparison.Ordinal) && _words.Contains(line, "ERROR: ") && SanAddress.Match(line) is { Success: true } san)
        {
            st.Reset();
            st.SetType(SanitizerType(san.Groups[2].Value).Trim());
            st.CrashAddress = san.Groups[4].Value.Trim();
        }
        if (line.Contains("Sanitizer: illegal-instruction", StringComparison.Ordinal) && WindowsSanIll.IsMatch(line))
            st.SetType("Ill");
        if (st.CrashType == "Unknown-crash")
            st.CrashType = "UNKNOWN";
        return false;
    }

    private void SignalWithFaultAddressLine(string line, ParseState st)
    {
        if (st.CrashType.StartsWith("UNKNOWN", StringComparison.Ordinal) && _words.Contains(line, "Fatal signal"))
            return;
        if (SignalWithFaultAddress.Match(line) is not { Success: true } m)
            return;
        st.Reset();
        st.SetType("UNKNOWN");
        st.FoundJavaException = false;
        if (_words.Contains(line, "SEGV_MTESERR"))
            st.CrashType = "Tag-mismatch" + m.Groups[2].Value;
        if (_words.Contains(line, "SIGSEGV"))
        {
            st.CrashAddress = m.Groups[1].Value;
            if (!st.CrashAddress.StartsWith("0x", StringComparison.Ordinal))
                st.CrashAddress = "0x" + st.CrashAddress;
        }
        if (ProcessName.Match(m.Groups[2].Value) is { Success: true } name)
            st.ProcessName = Capitalize(name.Groups[1].Value);
    }

    private static void AbortMessageLine(string line, ParseState st)
    {
        var m = AbortMessage.Match(line);
        if (!m.Success)
            return;
        st.SetType("CHECK failure");
        st.CrashAddress = "";
        st.FoundJavaException = true;
        string message = m.Groups[1].Value;
        int space = message.IndexOf(' ');
        st.CrashState = (space >= 0
            ? $"{CheckFailureText.Clean(message[(space + 1)..])} in {CheckFailureText.FileName(message[..space].Replace("FATAL:", "", StringComparison.Ordinal))}"
            : CheckFailureText.Clean(message)) + "\n";
        st.FrameCount = 1;
    }

    private static bool CheckFailure(string line, ParseState st, Regex pattern, string type)
    {
        var m = pattern.Match(line);
        if (!m.Success)
            return false;
        st.Reset();
        st.SetType(type);
        st.FrameCount = 1;
        st.CrashState = $"{CheckFailureText.Clean(m.Groups[2].Value)} in {CheckFailureText.FileName(m.Groups[1].Value)}\n";
        return true;
    }

    /// <summary>Lines that name a crash only when nothing has been named yet.</summary>
    private void FirstCrashLine(string line, ParseState st, bool sanitizer)
    {
        if (sanitizer && _words.Contains(line, "ERROR: ") && AsanGeneric.Match(line) is { Success: true } asan)
        {
            st.Reset();
            st.SetType(SanitizerType(asan.Groups[2].Value).Trim());
        }
        if (sanitizer && _words.Contains(line, "allocation-tail-overwritten") && HwasanTailOverwritten.Match(line) is { Success: true } tail)
            st.CrashAddress = tail.Groups[1].Value.Trim();
        if (_words.Contains(line, "GPU process exited") && GpuFailure.IsMatch(line))
        {
            st.Reset();
            st.SetType("GPU failure");
            st.CrashState = "";
        }
        if (line.StartsWith("== Java Exception: ", StringComparison.Ordinal))
        {
            if (JazzerSecurityException.IsMatch(line))
            {
                st.SetType("Security exception");
                st.FoundJavaException = true;
            }
            else if (JazzerException.IsMatch(line))
            {
                st.SetType("Uncaught exception");
                st.FoundJavaException = true;
            }
        }
        if (_words.Contains(line, "wycheproof") && WycheproofException.Match(line) is { Success: true } wycheproof)
        {
            st.SetType("Wycheproof error");
            st.CrashState = wycheproof.Groups[1].Value;
            st.FoundJavaException = true;
        }
        if (_words.Contains(line, "FATAL EXCEPTION") && AndroidFatalException.IsMatch(line))
        {
            st.Reset();
            st.SetType("Fatal Exception");
            st.FoundJavaException = true;
        }
        if (line.Length > 0 && line[0] == 'F')
            CheckFailure(line, st, GoogleLogFatal, "Fatal error");
        if (_words.Contains(line, "Check failed") || _words.Contains(line, "NOTREACHED hit"))
            CheckFailure(line, st, ChromeCheckFailure, "CHECK failure");
        if (_words.Contains(line, "DCHECK failed"))
            CheckFailure(line, st, ChromeDcheckFailure, "DCHECK failure");
        if (_words.Contains(line, "Check failed") && line.Length > 0 && line[0] == 'F')
            CheckFailure(line, st, GoogleCheckFailure, "CHECK failure");
        if (line.Length > 0 && line[0] == '#' && FatalError.Match(line) is { Success: true } fatal)
        {
            st.Reset();
            st.SetType("Fatal error");
            st.FatalErrorOccurred = true;
            st.CrashState = FrameRules.FunctionName(fatal.Groups[1].Value);
        }
        if (IsGo && line.StartsWith("fatal error: ", StringComparison.Ordinal) && GoFatalError.Match(line) is { Success: true } goFatal)
        {
            st.Reset();
            st.SetType("Fatal error");
            st.CrashState = goFatal.Groups[1].Value + "\n";
        }
        if (options.DetectV8RuntimeErrors && line.Length > 0 && line[0] == '#' && RuntimeError.Match(line) is { Success: true } runtime)
        {
            st.Reset();
            st.SetType("RUNTIME_ASSERT");
            st.CrashState = FrameRules.FunctionName(runtime.Groups[1].Value);
            st.FatalErrorOccurred = true;
        }
        if (line.StartsWith("abort: ", StringComparison.Ordinal) && V8AbortFailure.Match(line) is { Success: true } abort)
        {
            st.Reset();
            st.SetType("ASSERT");
            string error = abort.Groups[1].Value;
            if (V8AbortMetadata.Match(error) is { Success: true } meta)
                st.CrashState = $"{meta.Groups[1].Value}\n{CheckFailureText.FileName(meta.Groups[2].Value)}";
            else
                st.CrashState = error;
            st.FrameCount = ParseState.MaxStateFrames;
        }
        if (_words.Contains(line, "V8 error: ") && V8Error.Match(line) is { Success: true } v8)
        {
            st.Reset();
            st.SetType("V8 API error");
            st.CrashState = v8.Groups[1].Value + "\n";
        }
        if (line.Length > 0 && line[0] == '#' && V8CorrectnessFailure.IsMatch(line))
        {
            st.Reset();
            st.SetType("V8 correctness failure");
        }
        if (_words.Contains(line, "Received signal 11 ") && GenericSegvHandler.Match(line) is { Success: true } segv)
        {
            st.Reset();
            st.SetType("UNKNOWN");
            st.CrashAddress = ("0x" + segv.Groups[1].Value).Trim();
        }
        if (_words.Contains(line, "libFuzzer"))
        {
            if (LibFuzzerDeadlySignal.IsMatch(line)) { st.Reset(); st.SetType("Fatal-signal"); }
            if (LibFuzzerTargetExited.IsMatch(line)) { st.Reset(); st.SetType("Unexpected-exit"); }
            if (LibFuzzerOverwritesConstInput.IsMatch(line)) { st.Reset(); st.SetType("Overwrites-const-input"); }
        }
        if (_words.Contains(line, "library") && _words.Contains(line, "not found") && LibraryNotFoundAndroid.Match(line) is { Success: true } androidLib)
        {
            st.Reset();
            st.SetType("Missing-library");
            st.CrashState = androidLib.Groups[2].Value;
        }
        if (_words.Contains(line, "error while loading shared libraries") && LibraryNotFoundLinux.Match(line) is { Success: true } linuxLib)
        {
            st.Reset();
            st.SetType("Missing-library");
            st.CrashState = linuxLib.Groups[1].Value;
        }
    }

    /// <summary>The lines after V8's <c># Fatal error in</c>: the file, then the check that failed; true when the line is used up.</summary>
    private bool FatalErrorDetails(string line, ParseState st)
    {
        Match lineMatch = FatalErrorLine.Match(line);
        if (lineMatch.Success)
            st.SetType("Fatal error");
        else if (options.DetectV8RuntimeErrors && RuntimeErrorLine.Match(line) is { Success: true } runtime)
        {
            lineMatch = runtime;
            st.SetType("RUNTIME_ASSERT");
        }
        if (lineMatch.Success)
        {
            st.CheckFailureSourceFile = CheckFailureText.FileName(lineMatch.Groups[1].Value);
            st.CrashState = st.CheckFailureSourceFile + "\n";
            return true;
        }
        var check = FatalErrorDcheck.Match(line);
        string? type = "DCHECK failure";
        if (!check.Success)
        {
            check = FatalErrorCheck.Match(line);
            type = "CHECK failure";
        }
        if (!check.Success)
        {
            check = FatalErrorGeneric.Match(line);
            type = null;
        }
        if (check.Success)
        {
            st.Reset();
            st.SetType(type);
        }
        if (check.Success && check.Groups[2].Value.Trim().Length > 0)
        {
            string failure = CheckFailureText.Clean(check.Groups[2].Value);
            if (type is null && st.CrashType == "Fatal error") // not a RUNTIME_ASSERT's condition (args[0]->IsJSFunction())
                failure = CheckFailureText.NumbersAsTokens(failure);
            st.CrashState = st.CheckFailureSourceFile.Length > 0 ? $"{failure} in {st.CheckFailureSourceFile}\n" : failure + "\n";
            st.FrameCount = 1;
        }
        if (FatalErrorUnreachable.IsMatch(line))
        {
            st.Reset();
            st.SetType("Unreachable code");
            if (st.CheckFailureSourceFile.Length > 0)
                st.CrashState = st.CheckFailureSourceFile + "\n";
        }
        return false;
    }

    private bool HasStopMarker(string line)
    {
        foreach (var marker in StopMarkers)
        {
            if (_words.Contains(line, marker))
                return true;
        }
        return false;
    }

    /// <summary>A sanitizer's error kind in ClusterFuzz's spelling: <c>heap-buffer-overflow</c> → <c>Heap-buffer-overflow</c>.</summary>
    private static string SanitizerType(string kind) =>
        Capitalize(kind.ToLowerInvariant().Replace('_', '-')).Replace("Int-divide-by-zero", "Divide-by-zero", StringComparison.Ordinal);

    /// <summary>Python's <c>str.capitalize</c>: first character upper case, the rest lower case.</summary>
    internal static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
}
