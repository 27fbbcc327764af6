namespace Culprit.Crash;

/// <summary>
/// Whether console lines hold one of some literals, for lines looked up in log order (window after
/// window). One vectorised search runs ahead to the next hit and answers for every line before it:
/// hits are rare, and a search per line costs more in its setup than in its scan. The literals hold
/// no newline, so a hit inside a line is a hit of the line.
/// </summary>
internal struct LookaheadSearch(LiteralSearch literals)
{
    private const int None = int.MaxValue;

    // Ahead by a bounded amount: the next window reaches further, and a search to the end of each
    // window would rescan most of it for every report.
    private const int AheadChars = 16 * 1024;

    // The last search: from _from, the first hit is at _next, or there is none up to _until (log offsets).
    private int _from = int.MaxValue, _next = -1, _until = -1;

    /// <summary>
    /// Whether the line [<paramref name="pos"/>, <paramref name="end"/>) of the window, which starts
    /// at log offset <paramref name="offset"/>, holds one of the literals.
    /// </summary>
    public bool InLine(ReadOnlySpan<char> window, int offset, int pos, int end)
    {
        int start = offset + pos, stop = offset + end;
        bool known = start >= _from && start <= _next && (_next != None || stop <= _until);
        if (!known)
        {
            int until = Math.Min(window.Length, Math.Max(end, pos + AheadChars));
            int hit = literals.IndexOfAny(window[pos..until]);
            _from = start;
            _next = hit < 0 ? None : start + hit;
            _until = offset + until;
        }
        return _next < stop;
    }
}
