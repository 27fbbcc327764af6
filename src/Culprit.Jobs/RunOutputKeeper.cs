using System.Text;

namespace Culprit.Jobs;

/// <summary>
/// Keeps what <see cref="RunOutputCap"/> keeps of a run's output while the output is still arriving,
/// line by line, in memory that does not grow with the output: the whole text while it fits the
/// budget, else its head, its tail and the crash report (the lines from just before the line that
/// names the crash, <see cref="Add"/>'s <c>namesCrash</c>; or a report a parser found), with
/// <c>... [N bytes cut] ...</c> where text was left out.
/// </summary>
public sealed class RunOutputKeeper
{
    private const int WideHead = RunOutputCap.Budget - RunOutputCap.Tail * 2;
    private const int WideTail = RunOutputCap.Tail * 2;

    // The report part stays a little under its share so that the kept text with its cut notes is
    // within the budget (RunOutputCap.Apply leaves it as it is).
    private const int ReportPart = RunOutputCap.Report - 1024;

    private StringBuilder? _whole = new();
    private readonly StringBuilder _head = new();
    // A queue, not a linked list: no node per line (a test printing millions of short lines pays for each).
    private readonly Queue<string> _tail = new();
    private long _tailChars;
    private long _chars;
    private long _bytes;

    private StringBuilder? _report;
    private long _reportStartChar;
    private long _reportStartByte;

    /// <summary>Characters of output read (each line and its '\n').</summary>
    public long Chars => _chars;

    /// <summary>Adds the next line of output; <paramref name="namesCrash"/>: the line naming the crash (the first one counts).</summary>
    public void Add(string line, bool namesCrash = false)
    {
        if (namesCrash && _report is null)
        {
            StartReport();
        }
        if (_report is not null && _report.Length < ReportPart)
        {
            var room = ReportPart - _report.Length;
            _report.Append(line.AsSpan(0, Math.Min(line.Length, room)));
            if (line.Length < room)
            {
                _report.Append('\n');
            }
        }
        if (_whole is not null)
        {
            _whole.Append(line).Append('\n');
            if (_whole.Length > RunOutputCap.Budget)
            {
                _whole = null;
            }
        }
        if (_head.Length < WideHead)
        {
            _head.Append(line.AsSpan(0, Math.Min(line.Length, WideHead - _head.Length)));
            if (_head.Length < WideHead)
            {
                _head.Append('\n');
            }
        }
        _tail.Enqueue(line);
        _tailChars += line.Length + 1;
        while (_tail.TryPeek(out var first) && _tailChars - first.Length - 1 >= WideTail)
        {
            _tailChars -= first.Length + 1;
            _tail.Dequeue();
        }
        _chars += line.Length + 1;
        _bytes += Encoding.UTF8.GetByteCount(line) + 1;
    }

    /// <summary>The report starts with the whole lines of up to <see cref="RunOutputCap.BeforeTitle"/> characters before the line naming the crash.</summary>
    private void StartReport()
    {
        var before = new List<string>();
        var chars = 0;
        foreach (var line in _tail.Reverse())
        {
            if (chars + line.Length + 1 > RunOutputCap.BeforeTitle)
            {
                break;
            }
            before.Add(line);
            chars += line.Length + 1;
        }
        before.Reverse();
        _report = new StringBuilder();
        foreach (var line in before)
        {
            _report.Append(line).Append('\n');
        }
        _reportStartChar = _chars - _report.Length;
        _reportStartByte = _bytes - Encoding.UTF8.GetByteCount(_report.ToString());
    }

    /// <summary>
    /// What is stored of the output. <paramref name="foundReport"/>: a crash report a parser found in it
    /// (its place unknown), kept when it is not already in the head or the tail, between them.
    /// </summary>
    public string Kept(string? foundReport = null)
    {
        if (_whole is not null)
        {
            return _whole.ToString();
        }
        var tail = TailText();
        if (_report is not null)
        {
            return Join([
                (0, 0, _head.ToString(0, RunOutputCap.Head)),
                (_reportStartChar, _reportStartByte, _report.ToString()),
                Suffix(tail, RunOutputCap.Tail)]);
        }
        var wide = Join([(0, 0, _head.ToString()), Suffix(tail, WideTail)]);
        if (string.IsNullOrEmpty(foundReport) || wide.Contains(FirstLine(foundReport), StringComparison.Ordinal))
        {
            return wide;
        }
        // The report lies somewhere in the text left out: say how much was cut around it.
        var head = _head.ToString(0, RunOutputCap.Head);
        var end = Suffix(tail, RunOutputCap.Tail);
        var cut = end.StartByte - Encoding.UTF8.GetByteCount(head);
        var report = foundReport.Length > RunOutputCap.Report - 1024 ? foundReport[..(RunOutputCap.Report - 1024)] : foundReport;
        return new StringBuilder(RunOutputCap.Budget)
            .Append(head)
            .Append(FormattableString.Invariant($"\n... [{cut} bytes cut; the crash report from them:] ...\n"))
            .Append(report.TrimEnd('\n'))
            .Append("\n... [end of the crash report] ...\n")
            .Append(end.Text)
            .ToString();
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n');
        return end < 0 ? text : text[..end];
    }

    private string TailText()
    {
        var text = new StringBuilder((int)_tailChars);
        foreach (var line in _tail)
        {
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The last <paramref name="chars"/> characters of the output, with where they start.</summary>
    private (long StartChar, long StartByte, string Text) Suffix(string tail, int chars)
    {
        var text = tail.Length > chars ? tail[^chars..] : tail;
        return (_chars - text.Length, _bytes - Encoding.UTF8.GetByteCount(text), text);
    }

    /// <summary>Joins parts of the output in order, overlaps kept once, each gap noted with its size in bytes.</summary>
    private string Join(IEnumerable<(long StartChar, long StartByte, string Text)> parts)
    {
        var kept = new StringBuilder(RunOutputCap.Budget + 200);
        long endChar = 0, endByte = 0;
        foreach (var (startChar, startByte, text) in parts.OrderBy(p => p.StartChar))
        {
            var skip = (int)Math.Max(0, Math.Min(text.Length, endChar - startChar));
            if (skip == text.Length)
            {
                continue;
            }
            var part = text.AsSpan(skip);
            var fromByte = skip > 0 ? endByte : startByte;
            if (startChar + skip > endChar)
            {
                kept.Append(RunOutputCap.CutNote(fromByte - endByte));
            }
            kept.Append(part);
            endChar = startChar + text.Length;
            endByte = fromByte + Encoding.UTF8.GetByteCount(part);
        }
        if (endChar < _chars)
        {
            kept.Append(RunOutputCap.CutNote(_bytes - endByte));
        }
        return kept.ToString();
    }
}
