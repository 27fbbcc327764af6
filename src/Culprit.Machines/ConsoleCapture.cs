using System.Diagnostics;
using System.Text;

namespace Culprit.Machines;

/// <summary>
/// Collects a VM's output as it arrives: every line goes to the console file at once (so it survives
/// whatever happens to us), and the markers and the time of the last console output are noted for the
/// watchdog. QEMU's own messages arrive on the same callback and are told apart by their prefix.
/// </summary>
internal sealed class ConsoleCapture : IDisposable
{
    // Keep the parser's input bounded; the crash that ends a run is at the end, the file keeps all.
    private const int MaxKeptChars = 16 * 1024 * 1024;

    private readonly object _lock = new();
    private readonly StreamWriter _file;
    private readonly StringBuilder _text = new();
    private readonly Stopwatch _clock;
    private bool _closed;

    public ConsoleCapture(string path, Stopwatch clock)
    {
        _clock = clock;
        _file = new StreamWriter(path, append: false, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    private Progress _progress = new(false, null, null, null, TimeSpan.Zero);

    /// <summary>How far the run has got, read in one piece (the callback updates it from other threads).</summary>
    public Progress Now
    {
        get
        {
            lock (_lock)
            {
                return _progress;
            }
        }
    }

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    public void Add(string line)
    {
        line = line.TrimEnd('\r');
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }
            _file.WriteLine(line);
            _text.Append(line).Append('\n');
            if (_text.Length > MaxKeptChars + MaxKeptChars / 4)
            {
                _text.Remove(0, _text.Length - MaxKeptChars);
            }
            if (IsQemuMessage(line))
            {
                return;
            }
            var now = _clock.Elapsed;
            _progress = _progress with { HasOutput = true, LastOutputAt = now };
            if (_progress.BootedAt is null && line.Contains(ConsoleMarkers.Booted, StringComparison.Ordinal))
            {
                _progress = _progress with { BootedAt = now };
            }
            if (_progress is { BootedAt: not null, FinishedAt: null } && ConsoleMarkers.ExitStatus(line) is { } status)
            {
                _progress = _progress with { FinishedAt = now, ReproExitStatus = status };
            }
        }
    }

    public static bool IsQemuMessage(string line) =>
        line.StartsWith("qemu-system-", StringComparison.Ordinal) || line.StartsWith("qemu:", StringComparison.Ordinal);

    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            _file.Dispose();
        }
    }
}

/// <summary>
/// What the console has shown so far: any output at all (QEMU's messages aside), when init printed the
/// boot and end markers, the reproducer's exit status and when the console last said anything.
/// </summary>
internal sealed record Progress(bool HasOutput, TimeSpan? BootedAt, TimeSpan? FinishedAt, int? ReproExitStatus, TimeSpan LastOutputAt);
