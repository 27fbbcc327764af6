using System.Buffers;

namespace Culprit.Crash.UserSpace;

/// <summary>
/// Which of the rules' literal words a line holds, found by one vectorised scan of the line instead
/// of one substring search per rule: every place where any word starts is visited once, and the words
/// starting there are noted. <see cref="Contains"/> then answers as <c>string.Contains</c> would.
/// </summary>
internal sealed class LineWords
{
    // Every literal LineRules looks for with an ordinal Contains on a rule line (at most 64).
    private static readonly string[] Words =
    [
        " of size ", " suppressions", " warnings", " within object of type", "/art/runtime/", ": runtime error: ", ":INFO:CONSOLE",
        "===", "===BUG DETECTED: ", "Check failed", "ERROR: ", "FATAL EXCEPTION", "Fatal signal", "GPU process exited",
        "Please include Java exception stack in crash report", "Received signal 11 SEGV_", "SEGV_MTESERR", "SHOULD NEVER",
        "SIGSEGV", "SUMMARY:", "Sanitizer", "Sanitizer CHECK failed", "Sanitizer:DEADLYSIGNAL", "Security CHECK failed",
        "Security DCHECK failed", "The signal is caused by a ", "Uncaught Exception: Jazzer.js", "V8 error: ",
        "WARNING: AddressSanitizer", "allocation-tail-overwritten", "control flow integrity",
        "error while loading shared libraries", "failed to mprotect 0x00010000", "fault addr", "libFuzzer", "library",
        "memcpy-param-overlap", "not found", "note: ", "runtime error: ", "text run at (", "wycheproof",
        "Direct leak of", "Uninitialized value was stored to memory at", "allocated by thread", "created by main thread at",
        "located in stack of thread", "previously allocated by",
    ];

    private static readonly SearchValues<string> Search = SearchValues.Create(Words, StringComparison.Ordinal);

    // Looked up by the literal's identity: the rules pass the same interned string constants.
    private static readonly Dictionary<string, int> Bit = Words.Select((w, i) => (w, i))
        .ToDictionary(p => p.w, p => p.i, ReferenceEqualityComparer.Instance as IEqualityComparer<string>);

    // The words by first character, so a hit is matched only against the words that can start there.
    private static readonly int[][] ByFirstChar = Enumerable.Range(0, 128)
        .Select(c => Enumerable.Range(0, Words.Length).Where(i => Words[i][0] == c).ToArray()).ToArray();

    private string? _line;
    private ulong _found;

    /// <summary>True when <paramref name="line"/> holds <paramref name="word"/> (ordinal).</summary>
    public bool Contains(string line, string word)
    {
        if (!Bit.TryGetValue(word, out int bit))
            return line.Contains(word, StringComparison.Ordinal);
        if (!ReferenceEquals(line, _line))
            Scan(line);
        return (_found & (1UL << bit)) != 0;
    }

    private void Scan(string line)
    {
        _line = line;
        _found = 0;
        var text = line.AsSpan();
        int offset = 0;
        while (offset < text.Length)
        {
            int hit = text[offset..].IndexOfAny(Search);
            if (hit < 0)
                break;
            int at = offset + hit;
            var rest = text[at..];
            foreach (int i in ByFirstChar[rest[0]])
            {
                if (rest.StartsWith(Words[i], StringComparison.Ordinal))
                    _found |= 1UL << i;
            }
            offset = at + 1;
            // Inside a run of '=' only "===" words start, and the longer one only at the run's last three.
            if (rest[0] == '=')
            {
                int run = rest.IndexOfAnyExcept('=');
                if (run < 0)
                    run = rest.Length;
                offset = Math.Max(offset, at + run - 3);
            }
        }
    }
}
