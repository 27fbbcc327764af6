namespace Culprit.Jobs;

/// <summary>
/// git bisect's rules for <c>--term-old</c> and <c>--term-new</c> (builtin/bisect.c): each names a ref
/// under <c>refs/bisect/</c>, so it must be a valid ref name; it may not be a bisect subcommand; the
/// two must differ; and neither may take the other's built-in meaning ("bad"/"new" only for the new
/// state, "good"/"old" only for the old one).
/// </summary>
public static class BisectTerms
{
    private static readonly string[] Subcommands = ["help", "start", "skip", "next", "reset", "visualize", "view", "replay", "log", "run", "terms"];

    /// <summary>Null when the terms are fine; else the one-line reason, as git words it.</summary>
    public static string? Error(string termOld, string termNew)
    {
        // Each term with the built-in names that mean the other state.
        foreach (var (option, term, others) in new[] { ("--term-old", termOld, new[] { "bad", "new" }), ("--term-new", termNew, ["good", "old"]) })
        {
            if (!IsRefComponentPath(term))
            {
                return $"{option} '{term}' is not a valid term (it must be usable as a git ref name)";
            }
            if (Subcommands.Contains(term))
            {
                return $"{option}: can't use the builtin command '{term}' as a term";
            }
            if (others.Contains(term))
            {
                return $"{option}: can't change the meaning of the term '{term}'";
            }
        }
        return termOld == termNew ? $"--term-old and --term-new must differ (both are '{termOld}')" : null;
    }

    /// <summary>git check-ref-format's rules for what follows <c>refs/bisect/</c>.</summary>
    private static bool IsRefComponentPath(string name)
    {
        if (name.Length == 0 || name == "@" || name.EndsWith('/') || name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal)
            || name.Contains("@{", StringComparison.Ordinal))
        {
            return false;
        }
        if (name.Any(c => c < 0x20 || c == 0x7f || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\'))
        {
            return false;
        }
        return name.Split('/').All(part => part.Length > 0 && !part.StartsWith('.') && !part.EndsWith(".lock", StringComparison.Ordinal));
    }
}
