namespace Culprit.Crash;

/// <summary>Line boundaries in a string, walked without allocating the lines.</summary>
internal static class TextLines
{
    /// <summary>End (exclusive, at the '\n' or the end) of the line starting at <paramref name="start"/>.</summary>
    public static int End(string text, int start)
    {
        int nl = text.IndexOf('\n', start);
        return nl < 0 ? text.Length : nl;
    }
}
