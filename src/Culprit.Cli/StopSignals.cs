using System.Runtime.InteropServices;

namespace Culprit.Cli;

/// <summary>
/// SIGINT and SIGTERM stop a running job cleanly: the first one cancels the command's token (the
/// process helper kills the running commands, the job is stored as <c>stopped</c>) and Culprit exits
/// 130 or 143 as a shell expects; a second one terminates at once.
/// </summary>
internal static class StopSignals
{
    private static readonly CancellationTokenSource Stop = new();
    private static PosixSignal? _received;

    public static CancellationToken Token => Stop.Token;

    /// <summary>The name of the signal that stopped Culprit, or null.</summary>
    public static string? Received => _received switch
    {
        PosixSignal.SIGINT => "SIGINT",
        PosixSignal.SIGTERM => "SIGTERM",
        _ => null,
    };

    /// <summary>128 + the signal's number, as shells report a process ended by it (130 when none was received).</summary>
    public static int ExitCode => _received == PosixSignal.SIGTERM ? 143 : 130;

    public static IDisposable Register()
    {
        var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(s => PosixSignalRegistration.Create(s, OnSignal)).ToList();
        return new Registrations(registrations);
    }

    private static void OnSignal(PosixSignalContext context)
    {
        if (_received is not null)
        {
            return;
        }
        _received = context.Signal;
        context.Cancel = true;
        Stop.Cancel();
    }

    private sealed class Registrations(List<PosixSignalRegistration> all) : IDisposable
    {
        public void Dispose() => all.ForEach(r => r.Dispose());
    }
}
