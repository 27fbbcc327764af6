namespace Culprit.Crash.UserSpace;

/// <summary>
/// A Python traceback (Atheris' <c>=== Uncaught Python exception: ===</c>) turned innermost call first,
/// its header on top, ending where the sanitizer's own report begins: what ClusterFuzz parses for Python.
/// </summary>
internal sealed class PythonTrace(int maxLines)
{
    private string? _header;
    private readonly LinkedList<string> _body = new();
    private bool _closed;

    public void Add(string line)
    {
        if (_closed)
            return;
        if (_header is null)
        {
            if (line.Contains("===", StringComparison.Ordinal)
                && (UserSpacePatterns.PythonUncaught.IsMatch(line) || UserSpacePatterns.PySecSan.IsMatch(line)))
                _header = line;
            return;
        }
        if (line.Contains("=========", StringComparison.Ordinal) || line.Contains("== ERROR: ", StringComparison.Ordinal))
        {
            _closed = true;
            return;
        }
        _body.AddFirst(line);
        if (_body.Count > maxLines)
            _body.RemoveLast();
    }

    public IEnumerable<string> Lines()
    {
        if (_header is null)
            yield break;
        yield return _header;
        foreach (var line in _body)
            yield return line;
    }
}
