using System.Buffers;

namespace Culprit.Crash;

/// <summary>
/// Finds the first of a set of literals in a text, as two vectorised multi-string searches: one for
/// the literals that start with a lowercase letter, one for the rest. The multi-string search
/// checks a candidate wherever a position looks like the start of some literal, and console output
/// is mostly lowercase words: lowercase-led literals ("int3: ", "kernel BUG") make candidates
/// everywhere, and mixed with the others in one search they slow all of it several times over.
/// </summary>
internal sealed class LiteralSearch
{
    private readonly SearchValues<string>? _others;
    private readonly SearchValues<string>? _lowerLed;
    private readonly int _longestLowerLed;
    private readonly int _longest;

    public LiteralSearch(IEnumerable<string> literals)
    {
        var list = literals.Distinct().ToArray();
        if (list.Any(l => l.Length == 0))
        {
            throw new ArgumentException("an empty literal matches everywhere");
        }
        _longest = list.Max(l => l.Length);
        var lower = list.Where(l => char.IsAsciiLetterLower(l[0])).ToArray();
        var others = list.Where(l => !char.IsAsciiLetterLower(l[0])).ToArray();
        if (others.Length > 0)
        {
            _others = SearchValues.Create(others, StringComparison.Ordinal);
        }
        if (lower.Length > 0)
        {
            _lowerLed = SearchValues.Create(lower, StringComparison.Ordinal);
            _longestLowerLed = lower.Max(l => l.Length);
        }
    }

    /// <summary>Where the first occurrence of any literal starts, or -1.</summary>
    public int IndexOfAny(ReadOnlySpan<char> text)
    {
        // In growing pieces: the two searches each run to their own first hit, and a search that
        // ran far past the other's early hit would be repeated by the next call, which starts there.
        int piece = FirstPieceChars;
        for (int start = 0; start < text.Length;)
        {
            int stop = Math.Min(text.Length, start + piece);
            // A literal that starts before stop lies wholly in the window.
            int end = Math.Min(text.Length, stop + _longest - 1);
            int hit = FirstIn(text[start..end]);
            if (hit >= 0 && start + hit < stop)
            {
                return start + hit;
            }
            start = stop;
            piece = Math.Min(piece * 4, MaxPieceChars);
        }
        return -1;
    }

    private const int FirstPieceChars = 256;
    private const int MaxPieceChars = 64 * 1024;

    private int FirstIn(ReadOnlySpan<char> text)
    {
        int other = _others is null ? -1 : text.IndexOfAny(_others);
        if (_lowerLed is null)
        {
            return other;
        }
        // Only a lowercase-led literal that starts before the other hit can come first (it may end after it).
        int limit = other < 0 ? text.Length : Math.Min(text.Length, other + _longestLowerLed - 1);
        int lower = text[..limit].IndexOfAny(_lowerLed);
        return lower >= 0 && (other < 0 || lower < other) ? lower : other;
    }
}
