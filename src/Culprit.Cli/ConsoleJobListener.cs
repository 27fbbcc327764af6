using Culprit.Jobs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Culprit.Cli;

/// <summary>
/// On a terminal: the log scrolls and a live panel under it shows the range left, the commit under
/// test, the runs so far, elapsed and estimated remaining time. Piped output gets the plain log.
/// </summary>
internal sealed class ConsoleJobListener : IJobListener, IDisposable
{
    private readonly TextWriter _out;
    private readonly bool _live;
    private readonly object _gate = new();
    private JobStatus? _status;
    private int _drawnLines;

    public ConsoleJobListener(TextWriter output, bool live)
    {
        _out = output;
        _live = live;
    }

    /// <summary>Live only when stdout is a terminal and the caller writes to the real console.</summary>
    public static ConsoleJobListener For(TextWriter output) =>
        new(output, ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb"));

    public void OnLine(string line)
    {
        lock (_gate)
        {
            Clear();
            _out.WriteLine(line);
            Draw();
            _out.Flush();
        }
    }

    public void OnStatus(JobStatus status)
    {
        if (!_live)
        {
            return;
        }
        lock (_gate)
        {
            _status = status;
            Clear();
            Draw();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Clear();
            _status = null;
        }
    }

    private void Clear()
    {
        if (!_live || _drawnLines == 0)
        {
            return;
        }
        // Move up over the panel and erase it; the log continues where the panel was.
        _out.Write($"\u001b[{_drawnLines}A\u001b[J");
        _drawnLines = 0;
    }

    private void Draw()
    {
        if (!_live || _status is null)
        {
            return;
        }
        var s = _status;
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("k").AddColumn("v");
        table.AddRow("range left", s.RevisionsLeft is { } left ? $"{left} revisions (roughly {s.StepsLeft} steps)" : "-");
        table.AddRow("commit", Markup.Escape($"{s.Commit?[..Math.Min(12, s.Commit.Length)] ?? "-"} ({s.Activity})"));
        var runs = s.RunResults.GroupBy(r => r).Select(g => $"{g.Count()}x {g.Key}");
        table.AddRow("runs", Markup.Escape($"{s.RunsDone}/{s.RunsTotal} {string.Join(", ", runs)}"));
        table.AddRow("time", $"{GoDuration.Format(s.Elapsed)} elapsed" + (s.Remaining is { } r ? $", about {GoDuration.Format(TimeSpan.FromSeconds(Math.Round(r.TotalSeconds)))} left" : ""));
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
        });
        console.Profile.Width = Math.Max(40, Math.Min(Console.WindowWidth > 0 ? Console.WindowWidth : 100, 120));
        console.Write(table);
        var text = writer.ToString();
        _out.Write(text);
        _drawnLines = text.Count(c => c == '\n');
        _out.Flush();
    }
}
