namespace Culprit.Crash;

/// <summary>
/// Where the next occurrence of some literals is in a text, for positions that only move forward
/// (a walk over its lines). One vectorised search answers for every line up to its hit: a search
/// per line costs more in its setup than in its scan, and most lines hold none of the literals.
/// The literals hold no newline, so a hit starting inside a line lies wholly in it.
/// </summary>
internal struct ForwardSearch
{
    private const int None = int.MaxValue;

    private readonly string _text;
    private readonly LiteralSearch? _any;
    private readonly string? _one;
    private int _from; // the last search started here…
    private int _hit;  // …and found the first occurrence here (None: no more)

    public ForwardSearch(string text, LiteralSearch any)
    {
        _text = text;
        _any = any;
        _from = _hit = -1;
    }

    public ForwardSearch(string text, string one)
    {
        _text = text;
        _one = one;
        _from = _hit = -1;
    }

    /// <summary>Start of the first occurrence at or after <paramref name="pos"/>, or int.MaxValue.</summary>
    public int Next(int pos)
    {
        if (pos < _from || pos > _hit)
        {
            int found = pos >= _text.Length ? -1
                : _any != null ? _any.IndexOfAny(_text.AsSpan(pos))
                : _text.AsSpan(pos).IndexOf(_one, StringComparison.Ordinal);
            _from = pos;
            _hit = found < 0 ? None : pos + found;
        }
        return _hit;
    }

    /// <summary>Whether an occurrence starts in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public bool In(int start, int end) => Next(start) < end;
}
