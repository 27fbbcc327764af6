using System.Text.RegularExpressions;
using static Culprit.Crash.UserSpace.UserSpacePatterns;

namespace Culprit.Crash.UserSpace;

/// <summary>
/// Stack-frame lines of every supported format; a frame that is not ignored joins the crash state
/// while it has fewer than three lines, and every kept frame is remembered for stack-overflow cycles.
/// </summary>
internal static class StackFrames
{
    private static readonly Regex FileLineColumn = new(@"^([^ ]+):(\d+):(\d+)", RegexOptions.CultureInvariant | RegexOptions.Compiled);
    private static readonly Regex FileLine = new(@"^([^ ]+):(\d+)", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly HashSet<string> JavaFrameTypes = new(StringComparer.Ordinal)
    {
        "CHECK failure", "Fatal Exception", "Uncaught exception", "Security exception",
    };

    /// <summary>Adds the frame on <paramref name="line"/>, if it is one.</summary>
    public static void Add(string line, ParseState st, bool isGo, bool isPython, bool isJs)
    {
        // With the state full and enough frames kept for cycles, a frame changes nothing.
        if (st.FrameCount >= ParseState.MaxStateFrames && st.RawFrames.Count >= ParseState.MaxRawFrames)
            return;
        if (line.Contains('!') && WindowsCdbFrame.Match(line) is { Success: true } cdb)
        {
            Keep(st, Strip(cdb.Groups[4].Value.Trim()), plain: false);
            return;
        }
        if (SanitizerFrame(line, st))
            return;
        if (line.Contains('#') && ChromeFrame.Match(line) is { Success: true } chrome)
        {
            Keep(st, Strip(chrome.Groups[4].Value.Trim()), plain: false);
            return;
        }
        if (line.Length > 0 && char.IsAsciiDigit(line[0]) && ChromeMacFrame.Match(line) is { Success: true } mac)
        {
            // Mac symbolizers print mangled names; ClusterFuzz runs them through c++filt first.
            Keep(st, Demangler.Demangle(Strip(mac.Groups[6].Value.Trim())), plain: false);
            return;
        }
        if (line.Contains(" [", StringComparison.Ordinal) && line.Contains('+') && ChromeWinFrame.Match(line) is { Success: true } win)
        {
            Keep(st, Strip(win.Groups[1].Value.Trim()), plain: false);
            return;
        }
        if (st.FoundJavaException && JavaFrameTypes.Contains(st.CrashType))
        {
            if (line.Contains("at ", StringComparison.Ordinal) && JavaFrame.Match(line) is { Success: true } java)
                Keep(st, Strip(java.Groups[1].Value.Trim()), plain: false);
            return;
        }
        if (line.Contains('+') && line.Contains('/'))
        {
            if (line.Contains("[<", StringComparison.Ordinal) && KernelFrame.Match(line) is { Success: true } kernel)
            {
                Keep(st, Strip(kernel.Groups[3].Value.Trim()), plain: false);
                return;
            }
            if (KernelFrameNoAddress.Match(line) is { Success: true } kernelNoAddress)
            {
                Keep(st, Strip(kernelNoAddress.Groups[2].Value.Trim()), plain: false);
                return;
            }
        }
        // A V8 correctness failure's state is its metadata (configs, sources, suppression), kept as printed.
        if (line.Contains("V8 correctness ", StringComparison.Ordinal) && V8CorrectnessMetadata.Match(line) is { Success: true } metadata)
        {
            Keep(st, metadata.Groups[1].Value.Trim(), plain: true);
            return;
        }
        if (isGo && line.EndsWith(')') && GoFrame.Match(line) is { Success: true } go)
        {
            string frame = Strip(go.Groups[1].Value.Trim());
            Keep(st, frame, plain: false, filter: f => f[(f.LastIndexOf('/') + 1)..]);
            return;
        }
        if (isPython && line.Contains("File \"", StringComparison.Ordinal) && PythonFrame.Match(line) is { Success: true } py)
        {
            Keep(st, Strip(py.Groups[3].Value.Trim()), plain: false);
            return;
        }
        if (isJs && line.Contains(" at ", StringComparison.Ordinal) && JazzerJsFrame.Match(line) is { Success: true } js)
            Keep(st, Strip(js.Groups[1].Value.Trim()), plain: false);
    }

    /// <summary>
    /// A sanitizer frame, <c>#N 0xADDR in FUNCTION FILE:LINE:COL</c> or <c>#N 0xADDR (MODULE+0xOFFSET)</c>,
    /// split by hand: these are most of a sanitizer log's lines.
    /// </summary>
    private static bool SanitizerFrame(string line, ParseState st)
    {
        int i = 0;
        while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
        if (i >= line.Length || line[i] != '#') return false;
        int digits = ++i;
        while (i < line.Length && char.IsAsciiDigit(line[i])) i++;
        if (i == digits) return false;
        int space = i;
        while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
        if (i == space) return false;
        int hex = i;
        while (i < line.Length && (char.IsAsciiHexDigit(line[i]) || line[i] is 'x' or 'X')) i++;
        if (i == hex) return false;
        space = i;
        while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
        if (i == space) return false;
        var rest = line.AsSpan(i);
        string frame;
        bool moduleOnly = false;
        if (rest.StartsWith("in"))
        {
            frame = rest.Trim().ToString();
        }
        else if (rest.Length > 0 && rest[0] == '(' && rest[1..].LastIndexOf(')') is var close and >= 0)
        {
            var inner = rest[1..(close + 1)];
            frame = rest[..(close + 2)].Trim().ToString();
            int plus = inner.LastIndexOf('+');
            moduleOnly = plus >= 0 && plus + 1 < inner.Length && IsHex(inner[(plus + 1)..]);
        }
        else
        {
            return false;
        }
        frame = Strip(frame);
        if (frame.StartsWith("LLVMFuzzerTestOneInput", StringComparison.Ordinal) && FileOf(frame) is { } file)
            frame = frame.Replace("LLVMFuzzerTestOneInput", file.Replace('\\', '/')[(file.Replace('\\', '/').LastIndexOf('/') + 1)..], StringComparison.Ordinal);
        Keep(st, frame, plain: moduleOnly);
        return true;
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiHexDigit(c) && c is not ('x' or 'X'))
                return false;
        }
        return true;
    }

    /// <summary>The source file of a frame with one (the last <c>FILE:LINE</c> token after the function).</summary>
    private static string? FileOf(string frame)
    {
        var tokens = frame.Split(' ');
        for (int t = tokens.Length - 1; t >= 1; t--)
        {
            var m = FileLineColumn.Match(tokens[t]);
            if (!m.Success)
                m = FileLine.Match(tokens[t]);
            if (m.Success)
                return m.Groups[1].Value;
        }
        return null;
    }

    /// <summary>Drops the sanitizers' <c>in </c> before a function and the parentheses around a lone module.</summary>
    private static string Strip(string frame)
    {
        if (frame.StartsWith("in ", StringComparison.Ordinal))
            return frame[3..];
        if (frame.Length >= 2 && frame[0] == '(' && frame[^1] == ')')
            return frame[1..^1];
        return frame;
    }

    private static void Keep(ParseState st, string frame, bool plain, Func<string, string>? filter = null)
    {
        if (st.FrameCount >= ParseState.MaxStateFrames && st.RawFrames.Count >= ParseState.MaxRawFrames)
            return;
        if (FrameRules.Ignore(frame))
            return;
        string name = plain ? frame : (filter ?? FrameRules.FunctionName)(frame);
        if (st.RawFrames.Count < ParseState.MaxRawFrames)
            st.RawFrames.Add(name);
        if (st.FrameCount < ParseState.MaxStateFrames)
        {
            st.CrashState += name + "\n";
            st.FrameCount++;
        }
    }
}
