using System.Diagnostics;
using System.Text;
using Culprit.Crash;
using Culprit.Crash.Streaming;

namespace Culprit.Machines;

/// <summary>
/// Collects a VM's output as it arrives: every line goes to the console file at once (so it survives
/// whatever happens to us), and the markers and the time of the last console output are noted for the
/// watchdog. QEMU's own messages arrive on the same callback and are told apart by their prefix.
/// The crash parser reads every line as it arrives (<see cref="FedParser{T}"/>), so a crash at the
/// head of a console of any length is found, as the whole console file would show it; only a short
/// tail is kept in memory, for messages (the last console line).
/// </summary>
internal sealed class ConsoleCapture : IDisposable
{
    /// <summary>What is kept of the console's end for messages; no decision reads it.</summary>
    public const int TailChars = 64 * 1024;

    private readonly object _lock = new();
    private readonly StreamWriter _file;
    private readonly StringBuilder _tail = new();
    private readonly Stopwatch _clock;
    private readonly FedParser<CrashReport?> _crash;
    private bool _closed;

    public ConsoleCapture(string path, Stopwatch clock, Func<TextReader, CrashReport?> parseCrash)
    {
        _clock = clock;
        _file = new StreamWriter(path, append: false, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        _crash = new FedParser<CrashReport?>(parseCrash);
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

    /// <summary>The console's last <see cref="TailChars"/> characters or so, for messages.</summary>
    public string Tail
    {
        get
        {
            lock (_lock)
            {
                return _tail.ToString();
            }
        }
    }

    /// <summary>The first crash report on the whole console, once the run has ended (no line comes after this).</summary>
    public Task<CrashReport?> CrashAsync() => _crash.FinishAsync();

    /// <summary>The next console line (called one line at a time, in order).</summary>
    public void Add(string line)
    {
        line = line.TrimEnd('\r');
        if (Note(line))
        {
            // Outside the lock: a full feed makes this wait for the parser, and the watchdog must
            // still read the progress meanwhile.
            _crash.Add(line);
        }
    }

    /// <summary>Writes the line to the file and notes the progress it shows; false once closed.</summary>
    private bool Note(string line)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }
            _file.WriteLine(line);
            _tail.Append(line).Append('\n');
            if (_tail.Length > TailChars * 2)
            {
                _tail.Remove(0, _tail.Length - TailChars);
            }
            if (IsQemuMessage(line))
            {
                return true;
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
            return true;
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
        _crash.Dispose();
    }
}

/// <summary>
/// What the console has shown so far: any output at all (QEMU's messages aside), when init printed the
/// boot and end markers, the reproducer's exit status and when the console last said anything.
/// </summary>
internal sealed record Progress(bool HasOutput, TimeSpan? BootedAt, TimeSpan? FinishedAt, int? ReproExitStatus, TimeSpan LastOutputAt);
