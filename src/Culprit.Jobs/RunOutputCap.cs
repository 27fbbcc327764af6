using System.Text;
using Culprit.Core.Domain;

namespace Culprit.Jobs;

/// <summary>
/// What is kept of a run's output (its <see cref="RunOutcome.Detail"/>) when it is stored: at most
/// <see cref="Budget"/> characters, made of the crash report (found by its title), the head and the
/// tail of the output, with a <c>... [N bytes cut] ...</c> line where text was left out. A chatty test
/// would otherwise store megabytes per run and print them all in the closing block.
/// <see cref="RunOutputKeeper"/> keeps the same parts of an output read as it arrives.
/// </summary>
public static class RunOutputCap
{
    public const int Budget = 256 * 1024;
    internal const int Head = 32 * 1024;
    internal const int Tail = 64 * 1024;
    internal const int Report = Budget - Head - Tail;

    /// <summary>Context kept before the line naming the crash (a report's header, say ASan's <c>====</c> line).</summary>
    internal const int BeforeTitle = 2 * 1024;

    /// <summary>The note that stands for text left out.</summary>
    internal static string CutNote(long bytes) => FormattableString.Invariant($"\n... [{bytes} bytes cut] ...\n");

    public static RunOutcome Apply(RunOutcome run) =>
        run.Detail is { Length: > Budget } detail ? run with { Detail = Cap(detail, run.Title) } : run;

    public static string Cap(string text, string? title)
    {
        if (text.Length <= Budget)
        {
            return text;
        }
        var at = string.IsNullOrEmpty(title) ? -1 : text.IndexOf(title, StringComparison.Ordinal);
        List<(int Start, int End)> keep;
        if (at < 0)
        {
            keep = [(0, Budget - Tail * 2), (text.Length - Tail * 2, text.Length)];
        }
        else
        {
            var start = LineStart(text, Math.Max(0, at - BeforeTitle));
            keep = [(0, Head), (start, Math.Min(text.Length, start + Report)), (text.Length - Tail, text.Length)];
        }
        var capped = new StringBuilder(Budget + 200);
        var end = 0;
        foreach (var (from, to) in keep.OrderBy(k => k.Start))
        {
            var start = Math.Max(from, end);
            if (to <= start)
            {
                continue;
            }
            if (start > end)
            {
                var cut = Encoding.UTF8.GetByteCount(text.AsSpan(end, start - end));
                capped.Append(CutNote(cut));
            }
            capped.Append(text, start, to - start);
            end = to;
        }
        return capped.ToString();
    }

    private static int LineStart(string text, int index)
    {
        var newline = text.LastIndexOf('\n', Math.Max(0, index - 1));
        return index == 0 ? 0 : newline + 1;
    }
}
