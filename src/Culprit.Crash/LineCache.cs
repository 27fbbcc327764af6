using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>
/// What the collector learns about each console line (where it ends, its printk context, whether
/// it holds a notable word, where its text starts), kept for the lines of the current report
/// window. Neighbouring reports look at the same hundreds of lines (their trailing and silent
/// lines overlap): with this each line is classified once, not once per report.
/// Only whole lines (ended by a newline) are kept, so an entry never depends on where a window ends.
/// </summary>
internal sealed class LineCache
{
    private Entry[] _entries = new Entry[256];
    private int _first, _end;   // live entries [_first, _end): consecutive lines in log order
    private int _cursor;        // where the next sequential look-up is expected
    private Entry _scratch;     // for lines that cannot be kept
    // The last search for notable literals: from _notableSearchFrom, the first hit is at
    // _nextNotable, or there is none up to _notableSearchUntil (log offsets).
    private const int NoNotable = int.MaxValue;
    private const int NotableSearchChars = 16 * 1024;
    private int _notableSearchFrom = int.MaxValue, _nextNotable = -1, _notableSearchUntil = -1;

    /// <summary>Facts about one line; positions are log offsets or relative to the line start.</summary>
    internal struct Entry
    {
        public int Start, End;            // log offsets of the line and of its '\n' (or the text end)
        public LineContext Context;       // relative to the line
        public int ContextKey;            // equal for equal contexts (see LineContext.Key)
        public bool Notable;              // holds one of the notable literals (OopsLines.IndexOfNotable)
        public bool Stripped;
        public bool Questionable;
        public int TextStart, TextLength; // relative to the line, after the printk prefix
        private bool _matched;
        private OopsFamily? _family;

        /// <summary>The report family the line starts (<see cref="OopsLines.Match"/>), or null.</summary>
        public OopsFamily? Family(ReadOnlySpan<char> line)
        {
            if (!_matched)
            {
                _family = OopsLines.Match(line);
                _matched = true;
            }
            return _family;
        }

        public (int Start, int Length, bool Questionable) Strip(ReadOnlySpan<char> line)
        {
            if (!Stripped)
            {
                (TextStart, TextLength, Questionable) = ConsoleLine.Strip(line, Context.Kind != LineContext.None);
                Stripped = true;
            }
            return (TextStart, TextLength, Questionable);
        }
    }

    /// <summary>
    /// Whether the line [<paramref name="pos"/>, <paramref name="end"/>) of the window holds a
    /// notable literal. One vectorised search runs ahead to the next hit and answers for every
    /// line before it: notable lines are rare, and a search per line costs more in its setup than
    /// in its scan. The literals hold no newline, so a hit inside the line is a hit of the line.
    /// </summary>
    private bool IsNotable(ReadOnlySpan<char> window, int offset, int pos, int end)
    {
        int start = offset + pos, stop = offset + end;
        bool known = start >= _notableSearchFrom && start <= _nextNotable &&
            (_nextNotable != NoNotable || stop <= _notableSearchUntil);
        if (!known)
        {
            // Ahead by a bounded amount: the next window reaches further, and a search to the
            // end of each window would rescan most of it for every report.
            int until = Math.Min(window.Length, Math.Max(end, pos + NotableSearchChars));
            int hit = OopsLines.IndexOfNotable(window[pos..until]);
            _notableSearchFrom = start;
            _nextNotable = hit < 0 ? NoNotable : start + hit;
            _notableSearchUntil = offset + until;
        }
        return _nextNotable < stop;
    }

    /// <summary>Forgets the lines that start before <paramref name="logOffset"/> (windows only move forward).</summary>
    public void Release(int logOffset)
    {
        while (_first < _end && _entries[_first].Start < logOffset)
            _first++;
        if (_first == _end)
            _first = _end = 0;
    }

    /// <summary>
    /// The line starting at <paramref name="pos"/> of <paramref name="window"/>, which starts at log
    /// offset <paramref name="offset"/>. The reference is valid until the next call.
    /// </summary>
    public ref Entry Line(ReadOnlySpan<char> window, int offset, int pos)
    {
        int abs = offset + pos;
        int i = IndexOf(abs);
        if (i >= 0)
        {
            _cursor = i + 1;
            return ref _entries[i];
        }
        int nl = window[pos..].IndexOf('\n');
        int end = nl < 0 ? window.Length : pos + nl;
        var line = window[pos..end];
        var context = ConsoleLine.Find(line);
        var entry = new Entry
        {
            Start = abs,
            End = offset + end,
            Context = context,
            ContextKey = context.Key(line),
            Notable = IsNotable(window, offset, pos, end),
        };
        if (nl < 0)
        {
            _scratch = entry;
            return ref _scratch;
        }
        // Keep the entries consecutive: a line that does not follow the last one starts afresh.
        if (_end > _first && _entries[_end - 1].End + 1 != abs)
            _first = _end = 0;
        if (_end == _entries.Length)
            MakeRoom();
        _entries[_end] = entry;
        _cursor = _end + 1;
        return ref _entries[_end++];
    }

    private int IndexOf(int abs)
    {
        if (_cursor >= _first && _cursor < _end && _entries[_cursor].Start == abs)
            return _cursor;
        if (_first == _end || abs < _entries[_first].Start || abs > _entries[_end - 1].Start)
            return -1;
        int lo = _first, hi = _end - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int s = _entries[mid].Start;
            if (s == abs)
                return mid;
            if (s < abs)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return -1;
    }

    private void MakeRoom()
    {
        int live = _end - _first;
        if (_first > 0 && live <= _entries.Length / 2)
            Array.Copy(_entries, _first, _entries, 0, live);
        else
        {
            var bigger = new Entry[_entries.Length * 2];
            Array.Copy(_entries, _first, bigger, 0, live);
            _entries = bigger;
        }
        _cursor -= _first;
        _first = 0;
        _end = live;
    }
}
