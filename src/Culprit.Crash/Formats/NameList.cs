using System.Buffers;

namespace Culprit.Crash.Formats;

/// <summary>
/// Function names to look for: "name" anywhere in a frame, "^name" at its start, "^name$" as the
/// whole frame (the regex anchors, without a regex: the list is tried on every frame).
/// </summary>
internal sealed class NameList
{
    private readonly SearchValues<string> _anywhere;
    private readonly string[] _prefixes;
    private readonly HashSet<string> _whole;

    public NameList(IEnumerable<string> names)
    {
        var list = names.ToList();
        foreach (var name in list)
        {
            bool unsupported = name.EndsWith('$') && !name.StartsWith('^');
            if (unsupported || name.AsSpan().TrimStart('^').TrimEnd('$').IndexOfAny(@"^$()[]|?*+.\{}") >= 0)
                throw new ArgumentException($"not a plain name: {name}");
        }
        _anywhere = SearchValues.Create(list.Where(n => !n.StartsWith('^')).Select(n => n.TrimEnd('$')).ToArray(), StringComparison.Ordinal);
        _prefixes = list.Where(n => n.StartsWith('^') && !n.EndsWith('$')).Select(n => n[1..]).ToArray();
        _whole = list.Where(n => n.StartsWith('^') && n.EndsWith('$')).Select(n => n[1..^1]).ToHashSet(StringComparer.Ordinal);
    }

    public bool IsMatch(string frame)
    {
        if (frame.AsSpan().IndexOfAny(_anywhere) >= 0 || _whole.Contains(frame))
            return true;
        foreach (var prefix in _prefixes)
        {
            if (frame.StartsWith(prefix, StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
