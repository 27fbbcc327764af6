namespace Culprit.Crash;

/// <summary>
/// The text of the report being collected, in a buffer reused from report to report: reports run
/// to hundreds of lines, and a StringBuilder per report spent as much time allocating and
/// zeroing its chunks as copying the lines. One per thread, as reports are collected one at a
/// time and the result is copied out before the next.
/// </summary>
internal ref struct ReportText
{
    [ThreadStatic]
    private static char[]? t_buffer;

    private char[] _buffer;
    private int _length;

    public ReportText() => _buffer = t_buffer ??= new char[64 * 1024];

    public readonly int Length => _length;

    /// <summary>Appends the line and a newline.</summary>
    public void AppendLine(ReadOnlySpan<char> line)
    {
        if (_length + line.Length + 1 > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(2 * _buffer.Length, _length + line.Length + 1));
            // Keep the larger buffer for the next report only while it is of a usual size.
            if (_buffer.Length <= MaxKeptChars)
                t_buffer = _buffer;
        }
        line.CopyTo(_buffer.AsSpan(_length));
        _length += line.Length;
        _buffer[_length++] = '\n';
    }

    public override readonly string ToString() => new(_buffer, 0, _length);

    private const int MaxKeptChars = 1024 * 1024;
}
