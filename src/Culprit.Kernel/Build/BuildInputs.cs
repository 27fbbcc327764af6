using System.Text.RegularExpressions;

namespace Culprit.Kernel.Build;

/// <summary>
/// The source files one kernel build read, as paths relative to the source tree: what kbuild's
/// dependency files name, plus every file that shapes a build without being a compiler input.
/// A later commit whose diff touches none of them builds the same kernel (build avoidance).
/// <list type="bullet">
/// <item>fixdep's <c>.cmd</c> files in the O= directory: <c>cmd_T := …</c> (the command, naming
/// <c>-include</c> headers, linker scripts, scripts it runs), <c>source_T := FILE</c> and
/// <c>deps_T := \</c> with one file per line (<c>$(wildcard include/config/X)</c> lines are config
/// symbols, fixed by the job's config, so they are not files); leftover <c>.d</c> files likewise.
/// With O= every source path in them is absolute under the source tree; relative ones are the
/// build's own generated files, made from inputs named elsewhere.</item>
/// <item>Every Kconfig*, Makefile*, Kbuild*, *.mk file and everything under scripts/: they decide
/// what is built and how, and make reads them without a dependency file saying so.</item>
/// </list>
/// </summary>
public static partial class BuildInputs
{
    /// <summary>The inputs of the build in <paramref name="outputDirectory"/> of the tree in <paramref name="sourceDirectory"/>, sorted.</summary>
    public static IReadOnlyList<string> Collect(string sourceDirectory, string outputDirectory)
    {
        var source = Path.GetFullPath(sourceDirectory).TrimEnd('/');
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.GetFullPath(outputDirectory), "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(".cmd", StringComparison.Ordinal) || name.EndsWith(".d", StringComparison.Ordinal))
            {
                named.UnionWith(FromDependencyText(File.ReadAllText(file), source));
            }
        }
        var inputs = named.Where(p => File.Exists(Path.Combine(source, p))).ToHashSet(StringComparer.Ordinal);
        inputs.UnionWith(ShapingFiles(source));
        return inputs.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The tree-relative paths of the source files one dependency file (.cmd or .d) names: every
    /// absolute path under <paramref name="sourceDirectory"/>, wherever it stands on a line (after
    /// <c>-I</c>, <c>-include</c>, <c>-T</c>, a <c>=</c> or alone). Directories are among them when the
    /// command names one (<c>-I</c>); the caller keeps files only.
    /// </summary>
    public static IEnumerable<string> FromDependencyText(string text, string sourceDirectory)
    {
        var prefix = sourceDirectory.TrimEnd('/') + "/";
        var start = 0;
        while ((start = text.IndexOf(prefix, start, StringComparison.Ordinal)) >= 0)
        {
            var end = start + prefix.Length;
            while (end < text.Length && !IsPathEnd(text[end]))
            {
                end++;
            }
            var relative = text[(start + prefix.Length)..end].TrimEnd('/');
            if (relative.Length > 0 && !relative.Contains("/../", StringComparison.Ordinal) && !relative.StartsWith("../", StringComparison.Ordinal))
            {
                yield return relative.StartsWith("./", StringComparison.Ordinal) ? relative[2..] : relative;
            }
            start = end;
        }
    }

    /// <summary>Whether a tree-relative path is one that shapes every build (see the class comment).</summary>
    public static bool IsShapingFile(string relativePath)
    {
        if (relativePath.StartsWith("scripts/", StringComparison.Ordinal))
        {
            return true;
        }
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return ShapingName().IsMatch(name);
    }

    private static IEnumerable<string> ShapingFiles(string source)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(source, "*", options))
        {
            var relative = file[(source.Length + 1)..];
            if (!relative.StartsWith(".git/", StringComparison.Ordinal) && IsShapingFile(relative))
            {
                yield return relative;
            }
        }
    }

    // Where a path ends in make and shell text: blanks, quotes, make's and the shell's punctuation.
    private static bool IsPathEnd(char c) => char.IsWhiteSpace(c) || c is '"' or '\'' or '`' or ';' or ':' or ',' or '(' or ')' or '=' or '$' or '\\' or '|' or '&' or '<' or '>';

    [GeneratedRegex(@"^(Kconfig.*|Makefile.*|Kbuild.*|.*\.mk)$", RegexOptions.CultureInvariant)]
    private static partial Regex ShapingName();
}
