namespace Culprit.Crash;

/// <summary>
/// The console log seen through a bounded buffer: either a whole string, or a reader consumed in
/// chunks, of which only the part still needed is kept (memory is bounded by the report window,
/// not by the log).
/// </summary>
internal sealed class ConsoleSource
{
    private const int ChunkChars = 64 * 1024;
    private const int RoomPerKept = 3;

    private readonly string? _text;
    private readonly TextReader? _reader;
    private char[] _buffer = [];
    private int _base;   // log offset of _buffer[0]
    private int _count;
    private int _release; // data before this log offset may be dropped
    private bool _eof;

    public ConsoleSource(string text) => _text = text;

    public ConsoleSource(TextReader reader)
    {
        _reader = reader;
        _buffer = new char[4 * ChunkChars];
    }

    /// <summary>Log offset just past the data read so far.</summary>
    public int End => _text?.Length ?? _base + _count;

    /// <summary>No more data will come.</summary>
    public bool Complete => _text != null || _eof;

    public ReadOnlySpan<char> Slice(int start, int end) =>
        _text != null ? _text.AsSpan(start, end - start) : _buffer.AsSpan(start - _base, end - start);

    public void Release(int before) => _release = Math.Max(_release, before);

    public void ReadMore()
    {
        if (Complete)
            return;
        if (_buffer.Length - _count < ChunkChars)
        {
            // Move the kept data down only when out of room: reports come every few KB, and
            // moving the whole window on every read would copy it once per report.
            int drop = Math.Min(_release - _base, _count);
            if (drop > 0)
            {
                Array.Copy(_buffer, drop, _buffer, 0, _count - drop);
                _base += drop;
                _count -= drop;
            }
            // Room for three times the kept data, so that each move is paid for by three times as
            // many chars read (the kept window is a few hundred KB: a move is not cheap).
            if (_buffer.Length - _count < Math.Max(ChunkChars, RoomPerKept * _count))
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, (RoomPerKept + 1) * _count + ChunkChars));
        }
        int read = _reader!.Read(_buffer, _count, _buffer.Length - _count);
        if (read <= 0)
            _eof = true;
        else
            _count += read;
    }
}
