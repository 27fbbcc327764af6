namespace Culprit.Bench.Crash;

/// <summary>
/// Serves the corpus logs one after another, round and round, until the requested size: a
/// 100 MB console log that never exists in memory, so the parser's own memory is what is measured.
/// </summary>
internal sealed class CorpusReader(IReadOnlyList<string> logs, long totalChars) : TextReader
{
    private int _log;
    private int _pos;
    private long _served;

    public long Served => _served;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        int written = 0;
        while (written < buffer.Length && _served < totalChars)
        {
            string log = logs[_log];
            int n = (int)Math.Min(Math.Min(buffer.Length - written, log.Length - _pos), totalChars - _served);
            log.AsSpan(_pos, n).CopyTo(buffer[written..]);
            written += n;
            _pos += n;
            _served += n;
            if (_pos == log.Length)
            {
                _pos = 0;
                _log = (_log + 1) % logs.Count;
            }
        }
        return written;
    }

    public override int Peek() => throw new NotSupportedException();
}
