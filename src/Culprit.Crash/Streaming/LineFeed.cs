namespace Culprit.Crash.Streaming;

/// <summary>
/// A reader fed line by line from another thread: what a stream parser (which pulls text from a
/// <see cref="TextReader"/>) reads while a process is still writing. At most a fixed number of
/// characters wait in it; a writer that finds it full waits for the reader, so memory stays flat
/// however long the output. A reader that is done (<see cref="Abandon"/>) lets every later line go.
/// </summary>
public sealed class LineFeed(int maxQueuedChars = 256 * 1024) : TextReader
{
    private readonly object _lock = new();
    private readonly Queue<string> _lines = new();
    private int _queuedChars;
    private string? _current;   // the line being read; its '\n' follows its last char
    private int _at;
    private bool _complete;
    private bool _abandoned;

    /// <summary>Adds a line (its '\n' is added by the feed); waits while the feed is full.</summary>
    public void Add(string line)
    {
        lock (_lock)
        {
            while (!_abandoned && _queuedChars >= maxQueuedChars)
            {
                Monitor.Wait(_lock);
            }
            if (_abandoned)
            {
                return;
            }
            _lines.Enqueue(line);
            _queuedChars += line.Length + 1;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>No more lines will come: the reader sees the end once it has read what is queued.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _complete = true;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>The reader wants no more: queued and later lines are dropped, no writer waits.</summary>
    public void Abandon()
    {
        lock (_lock)
        {
            _abandoned = true;
            _lines.Clear();
            _current = null;
            _queuedChars = 0;
            Monitor.PulseAll(_lock);
        }
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    /// <summary>Waits for text; 0 only at the end (complete and all read, or abandoned).</summary>
    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        lock (_lock)
        {
            while (_current is null && _lines.Count == 0 && !_complete && !_abandoned)
            {
                Monitor.Wait(_lock);
            }
            var written = 0;
            while (written < buffer.Length)
            {
                if (_current is null)
                {
                    if (!_lines.TryDequeue(out _current))
                    {
                        break;
                    }
                    _at = 0;
                }
                if (_at < _current.Length)
                {
                    var n = Math.Min(buffer.Length - written, _current.Length - _at);
                    _current.AsSpan(_at, n).CopyTo(buffer[written..]);
                    _at += n;
                    written += n;
                }
                else
                {
                    buffer[written++] = '\n';
                    _queuedChars -= _current.Length + 1;
                    _current = null;
                }
            }
            if (written > 0)
            {
                Monitor.PulseAll(_lock);
            }
            return written;
        }
    }
}
