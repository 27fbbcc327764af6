using System.Text;

namespace Culprit.Crash.Streaming;

/// <summary>
/// A reader fed line by line from another thread: what a stream parser (which pulls text from a
/// <see cref="TextReader"/>) reads while a process is still writing. At most a fixed number of
/// characters wait in it; a writer that finds it full waits for the reader, so memory stays flat
/// however long the output. A reader that is done (<see cref="Abandon"/>) lets every later line go.
/// Lines are handed over in blocks of a few thousand characters, and each side wakes the other only
/// when it waits (the writer until the reader has read half of what was queued): a test printing
/// millions of two-character lines would otherwise pay a lock and a thread switch for each.
/// </summary>
public sealed class LineFeed : TextReader
{
    /// <summary>The block the writer gathers before handing it over (smaller when the feed itself is).</summary>
    private const int BlockChars = 8 * 1024;

    private readonly object _lock = new();
    private readonly Queue<string> _blocks = new();
    private readonly int _maxQueuedChars;
    private readonly int _blockChars;
    private readonly StringBuilder _gathering = new();   // the writer's own: not yet handed over
    private int _queuedChars;
    private string? _current;   // the block being read
    private int _at;
    private bool _complete;
    private volatile bool _abandoned;
    private bool _readerWaits;
    private bool _writerWaits;

    public LineFeed(int maxQueuedChars = 256 * 1024)
    {
        _maxQueuedChars = Math.Max(1, maxQueuedChars);
        _blockChars = Math.Clamp(_maxQueuedChars / 4, 1, BlockChars);
    }

    /// <summary>Adds a line (its '\n' is added by the feed); waits while the feed is full.</summary>
    public void Add(string line)
    {
        if (_abandoned)
        {
            return;
        }
        _gathering.Append(line).Append('\n');
        if (_gathering.Length >= _blockChars)
        {
            HandOver();
        }
    }

    /// <summary>
    /// No more lines will come: the reader sees the end once it has read what is queued. The writer's call,
    /// after its last <see cref="Add"/> has returned (what it gathered is handed over here).
    /// </summary>
    public void Complete()
    {
        HandOver();
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
            _blocks.Clear();
            _current = null;
            _queuedChars = 0;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Queues what the writer has gathered, once there is room for it.</summary>
    private void HandOver()
    {
        if (_gathering.Length == 0)
        {
            return;
        }
        var block = _gathering.ToString();
        _gathering.Clear();
        lock (_lock)
        {
            while (!_abandoned && _queuedChars >= _maxQueuedChars)
            {
                _writerWaits = true;
                Monitor.Wait(_lock);
            }
            _writerWaits = false;
            if (_abandoned)
            {
                return;
            }
            _blocks.Enqueue(block);
            _queuedChars += block.Length;
            if (_readerWaits)
            {
                Monitor.PulseAll(_lock);
            }
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
            while (_current is null && _blocks.Count == 0 && !_complete && !_abandoned)
            {
                _readerWaits = true;
                Monitor.Wait(_lock);
            }
            _readerWaits = false;
            var written = 0;
            while (written < buffer.Length)
            {
                if (_current is null)
                {
                    if (!_blocks.TryDequeue(out _current))
                    {
                        break;
                    }
                    _at = 0;
                }
                var n = Math.Min(buffer.Length - written, _current.Length - _at);
                _current.AsSpan(_at, n).CopyTo(buffer[written..]);
                _at += n;
                written += n;
                if (_at == _current.Length)
                {
                    _queuedChars -= _current.Length;
                    _current = null;
                }
            }
            // The writer goes on once half of the queue is read, not after every read.
            if (_writerWaits && _queuedChars <= _maxQueuedChars / 2)
            {
                Monitor.PulseAll(_lock);
            }
            return written;
        }
    }
}
