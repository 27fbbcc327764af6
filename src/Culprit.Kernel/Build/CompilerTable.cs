namespace Culprit.Kernel.Build;

/// <summary>
/// Which compiler builds which kernels (old kernels do not build with new compilers). The file
/// given with <c>--compilers</c> has one rule a line:
/// <code>
/// # RANGE      COMPILER
/// ..4.18       /opt/gcc-8/bin/gcc
/// 4.19..5.9    gcc-10
/// 5.10..       gcc
/// </code>
/// RANGE is <c>FROM..TO</c>, kernel versions X.Y read from the commit's top Makefile, both ends
/// inclusive and either one may be left open (<c>..</c> alone matches everything). COMPILER is
/// <c>gcc</c>, <c>clang</c>, a versioned name (<c>gcc-10</c>) or a path. <c>#</c> starts a comment.
/// The first rule whose range holds the version wins.
/// </summary>
public sealed class CompilerTable
{
    private CompilerTable(IReadOnlyList<CompilerRule> rules, string source)
    {
        Rules = rules;
        Source = source;
    }

    public IReadOnlyList<CompilerRule> Rules { get; }

    /// <summary>Where the rules came from (a file name, or "--compiler"), for error messages.</summary>
    public string Source { get; }

    /// <summary>One compiler for every kernel: what <c>--compiler</c> gives.</summary>
    public static CompilerTable Single(CompilerSpec compiler) => new([new CompilerRule(null, null, compiler)], "--compiler");

    public static CompilerTable Default { get; } = Single(CompilerSpec.Gcc);

    public static CompilerTable Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new KernelInputException($"compilers file {path} not found");
        }
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The rules in <paramref name="text"/>; a line that is not a rule is a <see cref="KernelInputException"/> naming it.</summary>
    public static CompilerTable Parse(string text, string source = "compilers")
    {
        var rules = new List<CompilerRule>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var hash = raw.IndexOf('#');
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
            {
                throw Error("expected 'RANGE COMPILER', e.g. '4.19..5.9 gcc-10'");
            }
            var range = fields[0];
            var dots = range.IndexOf("..", StringComparison.Ordinal);
            if (dots < 0)
            {
                throw Error($"'{range}' is not a range: write FROM..TO, FROM.. or ..TO");
            }
            var from = ParseEnd(range[..dots]);
            var to = ParseEnd(range[(dots + 2)..]);
            if (from is { } f && to is { } t && f > t)
            {
                throw Error($"range {range} is empty: {f} comes after {t}");
            }
            rules.Add(new CompilerRule(from, to, CompilerSpec.Parse(fields[1])));

            KernelVersion? ParseEnd(string end) =>
                end.Length == 0 ? null
                : KernelVersion.TryParse(end, out var v) ? v
                : throw Error($"'{end}' is not a kernel version like 5.10");
        }
        if (rules.Count == 0)
        {
            throw new KernelInputException($"{source}: no compiler rules (expected lines like '5.10.. gcc')");
        }
        return new CompilerTable(rules, source);

        KernelInputException Error(string message) => new($"{source}:{lineNumber}: {message}");
    }

    /// <summary>The compiler for a kernel version, or null when no rule covers it.</summary>
    public CompilerSpec? For(KernelVersion version) => Rules.FirstOrDefault(r => r.Covers(version))?.Compiler;
}

/// <summary>One line of a <see cref="CompilerTable"/>: kernels From..To (inclusive, null = open) use Compiler.</summary>
public sealed record CompilerRule(KernelVersion? From, KernelVersion? To, CompilerSpec Compiler)
{
    public bool Covers(KernelVersion version) => (From is not { } f || version >= f) && (To is not { } t || version <= t);
}
