namespace Culprit.Crash.Streaming;

/// <summary>
/// A stream parser (one that pulls text from a <see cref="TextReader"/>) run on a thread of its own
/// over lines handed to it as a process writes them (<see cref="Add"/>), through a bounded
/// <see cref="LineFeed"/>: every line is seen however long the output, and no copy of the output is
/// kept. When the parser is done early (it found what it looks for), later lines are let go.
/// </summary>
public sealed class FedParser<T> : IDisposable
{
    private readonly LineFeed _feed = new();
    private readonly Task<T> _result;

    public FedParser(Func<TextReader, T> parse)
    {
        _result = Task.Factory.StartNew(() =>
        {
            try
            {
                return parse(_feed);
            }
            finally
            {
                _feed.Abandon();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The next line of output (one call at a time, in order); waits while the feed is full.</summary>
    public void Add(string line) => _feed.Add(line);

    /// <summary>No more lines come: the parser's answer once it has read what is queued.</summary>
    public Task<T> FinishAsync()
    {
        _feed.Complete();
        return _result;
    }

    /// <summary>Stops the parser (an output abandoned before its end): queued and later lines are dropped.</summary>
    public void Dispose() => _feed.Abandon();
}
