namespace Culprit.Crash.UserSpace;

/// <summary>
/// Lines of a text stream read in blocks, without <c>\n</c>, a trailing <c>\r</c> or Centipede's line prefix
/// (<see cref="CentipedeLines"/>). A line longer
/// than <see cref="MaxLineChars"/> is dropped whole (ClusterFuzz ignores such lines), so memory
/// stays bounded whatever the stream holds.
/// </summary>
internal sealed class LineReader(TextReader reader, int blockChars = 64 * 1024)
{
    public const int MaxLineChars = 1024 * 1024;

    private char[] _buffer = new char[blockChars];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _skipping;

    public string? ReadLine()
    {
        while (true)
        {
            int nl = _buffer.AsSpan(_start, _end - _start).IndexOf('\n');
            if (nl >= 0)
            {
                int lineEnd = _start + nl;
                int from = _start;
                _start = lineEnd + 1;
                if (_skipping)
                {
                    _skipping = false;
                    continue;
                }
                return Text(from, lineEnd);
            }
            if (_eof)
            {
                if (_start == _end || _skipping)
                    return null;
                int from = _start;
                _start = _end;
                return Text(from, _end);
            }
            Fill();
        }
    }

    private string Text(int from, int to)
    {
        if (to > from && _buffer[to - 1] == '\r')
            to--;
        if (_buffer.AsSpan(from, to - from).StartsWith(CentipedeLines.Prefix))
            from += CentipedeLines.Prefix.Length;
        return new string(_buffer, from, to - from);
    }

    private void Fill()
    {
        int pending = _end - _start;
        if (pending >= MaxLineChars)
        {
            // Too long to be a report line: drop what is held and the rest of the line.
            _skipping = true;
            _start = _end = 0;
            pending = 0;
        }
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineChars + 64 * 1024));
        int n = reader.Read(_buffer, _end, _buffer.Length - _end);
        if (n <= 0)
            _eof = true;
        else
            _end += n;
    }
}
