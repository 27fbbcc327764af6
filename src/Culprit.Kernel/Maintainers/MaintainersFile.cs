using System.Text;
using System.Text.RegularExpressions;

namespace Culprit.Kernel.Maintainers;

/// <summary>
/// A parsed MAINTAINERS file, matched the way the kernel's scripts/get_maintainer.pl matches it
/// with its default options: F: file patterns (globs; a trailing slash or a directory means the
/// whole subtree; otherwise the file must be at the pattern's depth), N: regexes on file names,
/// X: excludes, K: keywords on the patch, every matching section counted (no depth limit), and
/// the "penguin chief" (Linus Torvalds, maintainer of THE REST) left out.
/// </summary>
public sealed partial class MaintainersFile
{
    private static readonly string[] PenguinChiefs = ["torvalds@linux-foundation.org"];

    private MaintainersFile(IReadOnlyList<MaintainersSection> sections) => Sections = sections;

    public IReadOnlyList<MaintainersSection> Sections { get; }

    /// <summary>
    /// Parses MAINTAINERS text. <paramref name="isDirectory"/> tells which paths of the tree are
    /// directories (an F: naming a directory without a trailing slash covers its subtree, as in
    /// get_maintainer.pl); without it, a pattern is taken as a directory for the files below it.
    /// </summary>
    public static MaintainersFile Parse(string text, Func<string, bool>? isDirectory = null)
    {
        var sections = new List<MaintainersSection>();
        string? title = null;
        var entries = new List<MaintainersEntry>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var m = Entry().Match(line);
            if (m.Success)
            {
                entries.Add(new MaintainersEntry(m.Groups[1].Value[0], m.Groups[2].Value.Trim()));
                continue;
            }
            // Any other line ends the section; a non-blank one starts the next (its title).
            Flush();
            if (line.Trim().Length > 0 && !line.TrimStart().StartsWith('#'))
            {
                title = line.Trim();
            }
        }
        Flush();
        return new MaintainersFile(sections);

        void Flush()
        {
            if (entries.Count > 0)
            {
                sections.Add(new MaintainersSection(title ?? "", [.. entries], isDirectory));
            }
            entries.Clear();
            title = null;
        }
    }

    /// <summary>The sections that cover a file (a path relative to the top of the tree).</summary>
    public IEnumerable<MaintainersSection> SectionsFor(string file) =>
        Sections.Where(s => s.Covers(file));

    /// <summary>
    /// The maintainers' (M:) and lists' (L:) addresses for a patch: the sections covering any file it
    /// touches plus the sections whose K: keywords occur in it. Lower case, sorted, deduplicated.
    /// </summary>
    public IReadOnlyList<string> AddressesFor(IEnumerable<string> files, string? patch = null)
    {
        var matched = new HashSet<MaintainersSection>();
        foreach (var file in files)
        {
            matched.UnionWith(SectionsFor(file));
        }
        if (patch is not null)
        {
            matched.UnionWith(SectionsWithKeywordsIn(patch));
        }
        return matched
            .SelectMany(s => s.Addresses)
            .Select(a => a.ToLowerInvariant())
            .Where(a => !PenguinChiefs.Contains(a))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The file names a patch (git show / format-patch output) touches, both sides of renames.</summary>
    public static IReadOnlyList<string> FilesInPatch(string patch)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in patch.Split('\n'))
        {
            var m = DiffHeader().Match(line);
            if (m.Success)
            {
                files.Add(m.Groups[1].Value);
                files.Add(m.Groups[2].Value);
            }
        }
        return [.. files];
    }

    // Like get_maintainer.pl: before the first file header, a keyword may match anywhere (subject,
    // message); after it, only on added or removed lines.
    private IEnumerable<MaintainersSection> SectionsWithKeywordsIn(string patch)
    {
        var keyed = Sections.Where(s => s.Keywords.Count > 0).ToList();
        if (keyed.Count == 0)
        {
            yield break;
        }
        var text = new StringBuilder();
        var inDiff = false;
        foreach (var line in patch.Split('\n'))
        {
            if (line.StartsWith("+++ ", StringComparison.Ordinal) || line.StartsWith("--- ", StringComparison.Ordinal))
            {
                inDiff = true;
                continue;
            }
            if (!inDiff || line.StartsWith('+') || line.StartsWith('-'))
            {
                text.Append(line).Append('\n');
            }
        }
        var searched = text.ToString().Split('\n');
        foreach (var section in keyed)
        {
            if (section.Keywords.Any(k => searched.Any(k.IsMatch)))
            {
                yield return section;
            }
        }
    }

    [GeneratedRegex(@"^([A-Z]):\s*(.*)$")]
    private static partial Regex Entry();

    [GeneratedRegex(@"^diff --git a/(\S+) b/(\S+)\s*$")]
    private static partial Regex DiffHeader();
}

/// <summary>One <c>X: value</c> line of a section.</summary>
public sealed record MaintainersEntry(char Type, string Value);

/// <summary>A MAINTAINERS section: its title line and its entries.</summary>
public sealed partial class MaintainersSection
{
    private readonly List<FilePattern> _files;
    private readonly List<FilePattern> _excludes;
    private readonly List<Regex> _names;

    public MaintainersSection(string title, IReadOnlyList<MaintainersEntry> entries, Func<string, bool>? isDirectory = null)
    {
        Title = title;
        Entries = entries;
        _files = [.. Values('F').Select(v => FilePattern.Parse(v, isDirectory))];
        _excludes = [.. Values('X').Select(v => FilePattern.Parse(v, isDirectory))];
        _names = [.. Values('N').Select(TryRegex).OfType<Regex>()];
        Keywords = [.. Values('K').Select(TryRegex).OfType<Regex>()];
        Addresses = [.. Values('M').Concat(Values('L').Where(l => !l.Contains("subscribers-only", StringComparison.Ordinal))).Select(EmailAddress.In).OfType<string>()];
    }

    public string Title { get; }

    public IReadOnlyList<MaintainersEntry> Entries { get; }

    /// <summary>The M: and L: addresses (lists only for subscribers are left out, as get_maintainer.pl does).</summary>
    public IReadOnlyList<string> Addresses { get; }

    internal IReadOnlyList<Regex> Keywords { get; }

    public bool Covers(string file) =>
        (_files.Any(p => p.Matches(file)) || _names.Any(r => r.IsMatch(file))) && !_excludes.Any(p => p.Matches(file));

    public override string ToString() => Title;

    private IEnumerable<string> Values(char type) => Entries.Where(e => e.Type == type).Select(e => e.Value);

    // N: and K: values are Perl regexes used with /x; the .NET dialect is close enough for them.
    private static Regex? TryRegex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>An F: or X: pattern.</summary>
internal sealed class FilePattern
{
    private readonly Regex _regex;
    private readonly string _literal;
    private readonly bool _subtree;
    private readonly bool _knowsDirectories;
    private readonly bool _hasGlob;
    private readonly int _depth;

    private FilePattern(string pattern, Func<string, bool>? isDirectory)
    {
        _hasGlob = pattern.IndexOfAny(['*', '?']) >= 0;
        _knowsDirectories = isDirectory is not null;
        // get_maintainer.pl adds the slash to a pattern that names a directory of the tree.
        if (!_hasGlob && !pattern.EndsWith('/') && isDirectory?.Invoke(pattern) == true)
        {
            pattern += "/";
        }
        _literal = pattern;
        _subtree = pattern.EndsWith('/');
        _depth = pattern.Count(c => c == '/');
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }
        _regex = new Regex(regex.ToString(), RegexOptions.CultureInvariant);
    }

    public static FilePattern Parse(string pattern, Func<string, bool>? isDirectory = null) => new(pattern.Trim(), isDirectory);

    /// <summary>
    /// get_maintainer.pl's rule: a pattern ending in "/" (or naming a directory) covers the subtree;
    /// any other pattern must match from the start and have as many slashes as the file, so a glob
    /// does not reach into subdirectories.
    /// </summary>
    public bool Matches(string file)
    {
        if (!_regex.IsMatch(file))
        {
            return false;
        }
        if (_subtree || file.Count(c => c == '/') == _depth)
        {
            return true;
        }
        // Not knowing the tree's directories: a pattern with files below it is a directory.
        return !_knowsDirectories && !_hasGlob && file.StartsWith(_literal + "/", StringComparison.Ordinal);
    }
}
