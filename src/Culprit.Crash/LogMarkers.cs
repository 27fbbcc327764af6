using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>
/// Where the log holds a suppression word or the console hang-up line. Whether a report is
/// suppressed or cut depends on its whole window (hundreds of KB), and windows of neighbouring
/// reports overlap: the log is searched for these rare words once, as the windows advance, and each
/// report only looks at the few hits inside its window.
/// </summary>
internal sealed class LogMarkers
{
    private static readonly string[] Words = [.. LinuxCrashFormats.SuppressionWordList, LinuxCrashFormats.ConsoleHangup];
    private static readonly LiteralSearch AnyWord = new(Words);
    private static readonly int LongestWord = Words.Max(w => w.Length);

    private readonly Queue<int> _hits = new(); // log offsets of word hits, in order
    private int _scanned;                       // hits before this offset are known
    private int _lastHit = -1;

    /// <summary>Finds the hits in [<paramref name="start"/>, <paramref name="end"/>) not seen yet.</summary>
    public void Scan(ConsoleSource source, int start, int end)
    {
        // Hits may begin up to one word before the end of the previous scan (a word cut by it).
        int from = Math.Max(start, _scanned - LongestWord + 1);
        if (from >= end)
            return;
        var span = source.Slice(from, end);
        int pos = 0;
        while (pos < span.Length)
        {
            int hit = AnyWord.IndexOfAny(span[pos..]);
            if (hit < 0)
                break;
            int at = from + pos + hit;
            // A scan starts a word's length early for words cut by the previous one: skip the repeats.
            if (at > _lastHit)
            {
                _hits.Enqueue(at);
                _lastHit = at;
            }
            pos += hit + 1;
        }
        _scanned = Math.Max(_scanned, end);
    }

    /// <summary>
    /// Whether the window (log offset <paramref name="offset"/>) is suppressed and whether the
    /// console hung up in it. Hits before the window are dropped: windows only move forward.
    /// </summary>
    public (bool Suppressed, bool Hangup) In(ReadOnlySpan<char> window, int offset)
    {
        while (_hits.Count > 0 && _hits.Peek() < offset)
            _hits.Dequeue();
        bool suppressed = false, hangup = false;
        int checkedUpTo = -1; // one check per line, as a line may hold several words
        foreach (int at in _hits)
        {
            int rel = at - offset;
            if (rel >= window.Length)
                break;
            var rest = window[rel..];
            if (rest.StartsWith(LinuxCrashFormats.ConsoleHangup, StringComparison.Ordinal))
            {
                hangup = true;
                continue;
            }
            if (suppressed || rel < checkedUpTo || !StartsWithSuppressionWord(rest))
                continue;
            int lineStart = window[..rel].LastIndexOf('\n') + 1;
            int nl = rest.IndexOf('\n');
            int lineEnd = nl < 0 ? window.Length : rel + nl;
            checkedUpTo = lineEnd;
            suppressed = IsSuppression(window[lineStart..lineEnd]);
        }
        return (suppressed, hangup);
    }

    private static bool StartsWithSuppressionWord(ReadOnlySpan<char> text)
    {
        foreach (var word in LinuxCrashFormats.SuppressionWordList)
        {
            if (text.StartsWith(word, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private static bool IsSuppression(ReadOnlySpan<char> line) => Suppression.IsMatch(line);

    private static readonly RegexUnion Suppression = new(LinuxCrashFormats.Suppressions);
}
