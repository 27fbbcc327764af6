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
    private LookaheadSearch _notable = new(OopsLines.Notable);
    private LookaheadSearch _login = new(LoginPrompt);

    private static readonly LiteralSearch LoginPrompt = new([ConsoleLine.Login]);

    // Line numbers of kept lines, and for each context key the last kept line that has it (to link
    // it to the next one). Bounded: a log can have any number of tasks, and a forgotten key only
    // leaves a link unknown.
    private int _seq;
    private readonly Dictionary<int, int> _lastLineOfKey = [];
    private const int MaxKeys = 4096;

    /// <summary>Facts about one line; positions are log offsets or relative to the line start.</summary>
    internal struct Entry
    {
        public int Start, End;            // log offsets of the line and of its '\n' (or the text end)
        public LineContext Context;       // relative to the line
        public int ContextKey;            // equal for equal contexts (see LineContext.Key)
        public bool Notable;              // holds one of the notable literals (OopsLines.Notable)
        public bool Stripped;
        public bool Questionable;
        public int TextStart, TextLength; // relative to the line, after the printk prefix
        public int Seq;                   // line number of a kept line (consecutive lines, consecutive numbers); 0 if not kept
        public int NextSameKey;           // Seq of the next kept line with the same ContextKey, 0 while not known
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
                (TextStart, TextLength, Questionable) = ConsoleLine.Strip(line, Context);
                Stripped = true;
            }
            return (TextStart, TextLength, Questionable);
        }
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
        var context = ConsoleLine.Find(line, _login.InLine(window, offset, pos, end));
        var entry = new Entry
        {
            Start = abs,
            End = offset + end,
            Context = context,
            ContextKey = context.Key(line),
            Notable = _notable.InLine(window, offset, pos, end),
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
        entry.Seq = ++_seq;
        LinkToPreviousOfKey(entry.ContextKey, entry.Seq);
        _entries[_end] = entry;
        _cursor = _end + 1;
        return ref _entries[_end++];
    }

    private void LinkToPreviousOfKey(int key, int seq)
    {
        if (_lastLineOfKey.Count >= MaxKeys)
        {
            _lastLineOfKey.Clear();
        }
        ref int last = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_lastLineOfKey, key, out _);
        // The entry being added is not stored yet, so a live index is one of the earlier lines.
        int i = IndexOfSeq(last);
        if (i >= 0)
        {
            _entries[i].NextSameKey = seq;
        }
        last = seq;
    }

    /// <summary>
    /// The kept line numbered <paramref name="seq"/> (see <see cref="Entry.Seq"/>): its start and
    /// end as log offsets, when it is still kept. All kept lines between two kept lines are kept too.
    /// </summary>
    public bool TryGetLine(int seq, out int start, out int end)
    {
        int i = IndexOfSeq(seq);
        start = i < 0 ? 0 : _entries[i].Start;
        end = i < 0 ? 0 : _entries[i].End;
        return i >= 0;
    }

    /// <summary><see cref="Entry.NextSameKey"/> of the kept line numbered <paramref name="seq"/>, or 0.</summary>
    public int NextSameKey(int seq)
    {
        int i = IndexOfSeq(seq);
        return i < 0 ? 0 : _entries[i].NextSameKey;
    }

    private int IndexOfSeq(int seq)
    {
        if (seq <= 0 || _first == _end)
        {
            return -1;
        }
        long i = _first + ((long)seq - _entries[_first].Seq);
        return i >= _first && i < _end ? (int)i : -1;
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
