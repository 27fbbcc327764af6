using System.Text.RegularExpressions;
using Culprit.Crash.Formats;

namespace Culprit.Crash;

/// <summary>A frame as used in the title (syscall prefixes stripped) and as printed.</summary>
internal readonly record struct ExtractedFrame(string Canonical, string Raw);

/// <summary>Walks a report following a <see cref="StackRule"/> and returns the guilty frame(s).</summary>
internal static class StackFrameExtractor
{
    /// <summary>Follows the rule through <paramref name="text"/> from <paramref name="start"/> on.</summary>
    public static (List<ExtractedFrame> Frames, bool Ok) Extract(StackRule rule, string text, int start)
    {
        var (frames, ok) = Walk(rule, rule.Parts, text, start);
        if (ok || rule.Parts2 is null)
            return (frames, ok);
        return Walk(rule, rule.Parts2, text, start);
    }

    private static (List<ExtractedFrame>, bool) Walk(StackRule rule, IReadOnlyList<Regex?> parts, string text, int next)
    {
        var raw = new List<string>();
        var results = new List<ExtractedFrame>();
        bool ok = true;
        // Each line is checked for fault injection and for a new trace; most hold neither word.
        var faultInjection = new ForwardSearch(text, FrameLineMatcher.FaultInjection);
        var stackStart = new ForwardSearch(text, FrameLineMatcher.StackStartWords);
        int traces = 0;
        for (int partIdx = 0; ; partIdx++)
        {
            if (partIdx == parts.Count || (parts[partIdx] is null && traces > 0))
            {
                var key = Choose(rule, raw);
                if (key.Canonical.Length == 0)
                {
                    key = new ExtractedFrame("corrupted", "corrupted");
                    ok = false;
                }
                results.Add(key);
                raw.Clear();
            }
            if (partIdx == parts.Count)
                break;
            var part = parts[partIdx];
            if (part is null)
            {
                traces++;
                while (next <= text.Length)
                {
                    int lineStart = next, lineEnd = TextLines.End(text, next);
                    next = lineEnd + 1;
                    var ln = text.AsSpan(lineStart, lineEnd - lineStart);
                    if (faultInjection.In(lineStart, lineEnd) && FrameLineMatcher.MatchesCorruptedLine(ln))
                    {
                        ok = false;
                        break;
                    }
                    if (stackStart.In(lineStart, lineEnd) && FrameLineMatcher.MatchesStackStart(ln))
                    {
                        break;
                    }
                    if (partIdx != parts.Count - 1 && parts[partIdx + 1] is { } nextPart)
                    {
                        var m = nextPart.Match(text, lineStart, lineEnd - lineStart);
                        if (m.Success)
                        {
                            Append(raw, m, rule);
                            partIdx++;
                            break;
                        }
                    }
                    // Without an extractor the first frame is the answer: the rest of the trace
                    // is only walked for its end and for fault-injection lines.
                    if (rule.Extractor is null && raw.Count > 0)
                        continue;
                    int names = FrameLineMatcher.Frame(ln, out var first, out var second);
                    if (names > 0)
                        Append(raw, ln[first].ToString(), rule);
                    if (names > 1)
                        Append(raw, ln[second].ToString(), rule);
                }
            }
            else if (next <= text.Length)
            {
                // The first line the part matches, unless fault injection comes first.
                var (m, after, faultInjected) = LinePartSearch.Find(part, text, next, ref faultInjection);
                next = after;
                if (faultInjected)
                {
                    ok = false;
                }
                else if (m != null)
                {
                    Append(raw, m, rule);
                }
            }
        }
        return (results, ok);
    }

    private static void Append(List<string> frames, Match m, StackRule rule)
    {
        for (int g = 1; g < m.Groups.Count; g++)
        {
            var group = m.Groups[g];
            if (group.Success)
                Append(frames, group.Value, rule);
        }
    }

    private static void Append(List<string> frames, string frame, StackRule rule)
    {
        // C++ and Rust frames are named, and skipped, by their source names.
        frame = Demangler.Demangle(frame);
        if (!rule.IsSkipped(frame))
            frames.Add(frame);
    }

    private static ExtractedFrame Choose(StackRule rule, List<string> raw)
    {
        if (raw.Count == 0)
            return new ExtractedFrame("", "");
        var stripped = raw.Select(StackConventions.StripPrefix).ToList();
        if (rule.Extractor is null)
            return new ExtractedFrame(stripped[0], raw[0]);
        var (frame, index) = rule.Extractor(stripped);
        return frame.Length > 0 ? new ExtractedFrame(frame, raw[index]) : new ExtractedFrame("", "");
    }
}
