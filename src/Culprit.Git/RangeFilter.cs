namespace Culprit.Git;

/// <summary>
/// What narrows a bisection range beyond its ends, as git bisect's options do: <see cref="Paths"/>
/// (<c>git bisect start BAD GOOD -- PATHS</c>: only commits touching them) and <see cref="FirstParent"/>
/// (<c>git bisect start --first-parent</c>: only the bad commit's first-parent line, so a merge stands
/// for the branch it brought in and a branch's broken or crashing commits are never tested).
/// </summary>
public sealed record RangeFilter(IReadOnlyList<string>? Paths = null, bool FirstParent = false)
{
    public static RangeFilter None { get; } = new();

    public bool HasPaths => Paths is { Count: > 0 };

    /// <summary>The range cache's key lines for this filter (none for the whole range, so old caches stay valid).</summary>
    internal IEnumerable<string> KeyLines() =>
        (FirstParent ? ["first-parent"] : Array.Empty<string>()).Concat((Paths ?? []).Select(p => "path " + p));
}
