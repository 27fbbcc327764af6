using System.Text;

namespace Culprit.Crash.UserSpace;

/// <summary>
/// Centipede prints the fuzz target's output with every line prefixed by <c>CRASH LOG: </c>; ClusterFuzz takes
/// the prefix off before it reads the report (its Centipede engine), so the sanitizer's lines and frames read
/// as they do from the target itself. Lines without the prefix are left as they are. A stream's lines lose it
/// as they are read (<see cref="LineReader"/>); a whole output, here.
/// </summary>
internal static class CentipedeLines
{
    public const string Prefix = "CRASH LOG: ";

    /// <summary>A whole output with the prefix taken off every line that starts with it (the same string when none does).</summary>
    public static string Text(string output)
    {
        if (!output.Contains(Prefix, StringComparison.Ordinal))
            return output;
        var text = new StringBuilder(output.Length);
        int start = 0;
        while (true)
        {
            int end = output.IndexOf('\n', start);
            var line = output.AsSpan(start, (end < 0 ? output.Length : end) - start);
            text.Append(line.StartsWith(Prefix) ? line[Prefix.Length..] : line);
            if (end < 0)
                return text.ToString();
            text.Append('\n');
            start = end + 1;
        }
    }
}
