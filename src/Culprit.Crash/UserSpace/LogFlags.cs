using System.Buffers;
using System.Text.RegularExpressions;

namespace Culprit.Crash.UserSpace;

/// <summary>
/// Facts ClusterFuzz reads from the whole log rather than one line: which runtime printed it (Go,
/// Python, Jazzer.js) and the markers its security verdict looks for. One multi-string search finds
/// every candidate, so a log is scanned once, vectorised.
/// </summary>
internal sealed class LogFlags
{
    // "Sanitizer: illegal-instruction" is how ASan on Windows spells the signal Linux calls ILL.
    internal static readonly string[] Markers =
    [
        ".go:", ".py\", line", "Uncaught Exception: Jazzer.js", "SCARINESS: ", "FuzzerSecurityIssue", "pc (nil) ",
        "pc 0x00000000 ", "pc 0x000000000000 ", "JNI DETECTED ERROR", "in gsignal ", "Sanitizer: ABRT", "Sanitizer: BUS",
        "Sanitizer: FPE", "Sanitizer: ILL", "Sanitizer: illegal-instruction", "Sanitizer: breakpoint", "ASSERTION FAILED", "MiraclePtr Status: PROTECTED",
    ];

    private static readonly SearchValues<string> Search = SearchValues.Create(Markers, StringComparison.Ordinal);

    public bool IsGo;
    public bool IsPython;
    public bool IsJazzerJs;
    public bool SignalScariness;
    public bool ManualSecurityIssue;
    public bool NullPc;
    public bool JniSecurityError;
    public bool NonSecuritySignal;
    public bool AssertionFailedText;
    public bool MiraclePtrProtected;

    /// <summary>Notes the markers in <paramref name="text"/>, which must hold whole lines.</summary>
    public void Observe(ReadOnlySpan<char> text)
    {
        int offset = 0;
        while (true)
        {
            int hit = text[offset..].IndexOfAny(Search);
            if (hit < 0)
                return;
            int at = offset + hit;
            Note(text, at);
            offset = at + 1;
        }
    }

    /// <summary>Notes the markers of one line, which a <see cref="LineWords.Scanner"/> scan found in it.</summary>
    public void Observe(string line, UInt128 found)
    {
        if ((found & LineWords.Marker) == 0)
            return;
        for (int i = 0; i < Markers.Length; i++)
        {
            if ((found & LineWords.MarkerBits[i]) != 0)
                Note(line, line.IndexOf(Markers[i], StringComparison.Ordinal));
        }
    }

    private void Note(ReadOnlySpan<char> text, int at)
    {
        var rest = text[at..];
        if (rest.StartsWith(".go:"))
            IsGo = true;
        else if (rest.StartsWith(".py\", line"))
            IsPython = true;
        else if (rest.StartsWith("Uncaught Exception: Jazzer.js"))
            IsJazzerJs = true;
        else if (rest.StartsWith("SCARINESS: "))
            SignalScariness |= UserSpacePatterns.SanSignalScariness.IsMatch(Line(text, at).ToString());
        else if (rest.StartsWith("FuzzerSecurityIssue"))
            ManualSecurityIssue |= UserSpacePatterns.FuzzerSecurityIssue.IsMatch(Line(text, at).ToString());
        else if (rest.StartsWith("pc "))
            NullPc = true;
        else if (rest.StartsWith("JNI DETECTED ERROR"))
            JniSecurityError |= UserSpacePatterns.JniSecurityError.IsMatch(Line(text, at).ToString());
        else if (rest.StartsWith("in gsignal "))
            NonSecuritySignal |= UserSpacePatterns.GsignalTopFrame.IsMatch(Line(text, at).ToString());
        else if (rest.StartsWith("Sanitizer: "))
            NonSecuritySignal = true;
        else if (rest.StartsWith("ASSERTION FAILED"))
            AssertionFailedText = true;
        else if (rest.StartsWith("MiraclePtr"))
            MiraclePtrProtected = true;
    }

    private static ReadOnlySpan<char> Line(ReadOnlySpan<char> text, int at)
    {
        int start = text[..at].LastIndexOf('\n') + 1;
        int end = text[at..].IndexOf('\n');
        return end < 0 ? text[start..] : text[start..(at + end)];
    }
}
