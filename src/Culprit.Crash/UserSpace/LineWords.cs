namespace Culprit.Crash.UserSpace;

/// <summary>
/// Which of the parser's literal words a line holds, found by one pass of a <see cref="WordScanner"/>
/// over the line: the words the rules test with an ordinal <c>Contains</c>, the words that let a line
/// into the rules at all, the out-of-memory words and the whole-log markers of <see cref="LogFlags"/>.
/// A line is scanned once (when it is read); every later question about it is a bit test.
/// </summary>
internal sealed class LineWords
{
    // Every literal LineRules looks for with an ordinal Contains on a rule line.
    private static readonly string[] Words =
    [
        " of size ", " suppressions", " warnings", " within object of type", "/art/runtime/", ": runtime error: ", ":INFO:CONSOLE",
        "===", "===BUG DETECTED: ", "Check failed", "DCHECK failed", "NOTREACHED hit", "V8 sandbox violation detected!", "ERROR: ", "FATAL EXCEPTION", "Fatal signal", "GPU process exited",
        "Please include Java exception stack in crash report", "Received signal 11 ", "SEGV_MTESERR", "SHOULD NEVER",
        "SIGSEGV", "SUMMARY:", "Sanitizer", "Sanitizer CHECK failed", "Sanitizer:DEADLYSIGNAL", "Security CHECK failed",
        "Security DCHECK failed", "The signal is caused by a ", "Uncaught Exception: Jazzer.js", "V8 error: ",
        "WARNING: AddressSanitizer", "allocation-tail-overwritten", "control flow integrity",
        "error while loading shared libraries", "failed to mprotect 0x00010000", "fault addr", "libFuzzer", "library",
        "memcpy-param-overlap", "not found", "note: ", "runtime error: ", "text run at (", "wycheproof",
        "Direct leak of", "Uninitialized value was stored to memory at", "allocated by thread", "created by main thread at",
        "located in stack of thread", "previously allocated by",
    ];

    /// <summary>
    /// A word of every literal the rules look for (case as printed; assertion words in both cases). A
    /// line with none of them, and none of the line starts some rules key on, can only be a frame.
    /// </summary>
    private static readonly string[] RuleLineWords =
    [
        "anitizer", "SUMMARY:", ":INFO:CONSOLE", "ailed", "text run", "Java", "Memory", "of memory", "rror", "lloc",
        "of-memory", "limit", "rust_oom", "ssert", "SSERT", "anic", "ANIC", "SHOULD NEVER", "leak of", "note: ",
        "within object", "CFI: ", "===", "Uncaught", "signal", " of size ", "fault addr", "Abort message", "libFuzzer",
        "ERROR", "GPU process", "wycheproof", "FATAL", "abort: ", "library", "ChildEBP", "Uninitialized", "created by",
        "located in stack", "NOTREACHED hit", "V8 sandbox violation",
    ];

    /// <summary>
    /// What a rule other than the frame formats can find on a sanitizer frame line: OOM handlers named
    /// as functions, and assertion or panic messages. A frame line without them skips the rules.
    /// </summary>
    private static readonly string[] FrameLineWords =
        ["OutOfMemory", "OnNoMemory", "rust_oom", "rust_alloc_error_handler", "anic", "ANIC", "ailed: ", "AILED: ", "ailure: ", "AILURE: ", "Sanitizer", "SUMMARY:"];

    /// <summary>Words of ClusterFuzz's out-of-memory patterns: a line without any cannot be an OOM line.</summary>
    private static readonly string[] OomWords =
    [
        "Allocation failed", "OnNoMemory", "failed to allocate", "OutOfMemory", "out of memory", "Out of memory",
        "invalid size error", "allocation-size-too-big", "calloc-overflow", "calloc parameters", "requested allocation size",
        "couldnt allocate", "out-of-memory", "rss limit", "RSS limit", "rust_oom", "device memory allocation",
        "rust_alloc_error_handler",
    ];

    private static readonly string[] All =
        [.. Words.Concat(RuleLineWords).Concat(FrameLineWords).Concat(OomWords).Concat(LogFlags.Markers).Distinct(StringComparer.Ordinal)];

    public static readonly WordScanner Scanner = new(All);

    public static readonly UInt128 RuleLine = Scanner.Bits(RuleLineWords);
    public static readonly UInt128 FrameLine = Scanner.Bits(FrameLineWords);
    public static readonly UInt128 Oom = Scanner.Bits(OomWords);
    public static readonly UInt128 Marker = Scanner.Bits(LogFlags.Markers);
    public static readonly UInt128 DeadlySignal = Scanner.Bit("Sanitizer:DEADLYSIGNAL");

    /// <summary>The bit of each of <see cref="LogFlags.Markers"/>, in its order.</summary>
    public static readonly UInt128[] MarkerBits = [.. LogFlags.Markers.Select(Scanner.Bit)];

    // Looked up by the literal's identity: the rules pass the same interned string constants.
    private static readonly Dictionary<string, UInt128> Bit = All.ToDictionary(w => w, Scanner.Bit,
        ReferenceEqualityComparer.Instance as IEqualityComparer<string>);

    private string? _line;
    private UInt128 _found;

    /// <summary>Notes what a scan of <paramref name="line"/> found, so it is not scanned again.</summary>
    public void Use(string line, UInt128 found)
    {
        _line = line;
        _found = found;
    }

    /// <summary>The words <paramref name="line"/> holds, as <see cref="Scanner"/> bits.</summary>
    public UInt128 Found(string line)
    {
        if (!ReferenceEquals(line, _line))
            Use(line, Scanner.Scan(line));
        return _found;
    }

    /// <summary>True when <paramref name="line"/> holds <paramref name="word"/> (ordinal).</summary>
    public bool Contains(string line, string word)
    {
        if (!Bit.TryGetValue(word, out var bit))
            return line.Contains(word, StringComparison.Ordinal);
        return (Found(line) & bit) != 0;
    }
}
