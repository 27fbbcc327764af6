using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Culprit.Processes;

public static partial class ProcessRunner
{
    /// <summary>
    /// Runs a process and hands every line of its standard output to <paramref name="onLine"/> as it
    /// arrives, uncaptured and uncapped, for output that feeds a decision (a capped capture would
    /// silently lose its head). Reads to the end of the output, so a complete result means every line
    /// was seen. Standard error is captured (bounded) for messages. Same timeout and tree kill as
    /// <see cref="RunAsync"/>; a timed-out run reports <see cref="ProcessResult.TimedOut"/>.
    /// </summary>
    public static async Task<ProcessResult> StreamLinesAsync(ProcessSpec spec, Action<string> onLine, CancellationToken cancellationToken = default)
    {
        var mark = Leftovers.NewMark();
        var psi = StartInfo(spec, mark);
        psi.StandardOutputEncoding = Encoding.UTF8;

        using var process = new Process { StartInfo = psi };
        var stderr = new BoundedText(spec.MaxCapturedChars);
        var errDone = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                errDone.TrySetResult();
                return;
            }
            stderr.AppendLine(e.Data);
        };
        var watch = Stopwatch.StartNew();
        var pid = Start(process, spec.FileName);
        try
        {
            return await StreamAsync(process, spec, onLine, stderr, errDone, watch, cancellationToken);
        }
        finally
        {
            Leftovers.Kill(mark);
            Leftovers.Forget(pid);
        }
    }

    private static async Task<ProcessResult> StreamAsync(
        Process process, ProcessSpec spec, Action<string> onLine, BoundedText stderr, TaskCompletionSource errDone, Stopwatch watch, CancellationToken cancellationToken)
    {
        process.BeginErrorReadLine();
        await WriteInputAsync(process, spec);

        using var timeout = spec.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var timedOut = false;
        try
        {
            var reader = process.StandardOutput;
            while (await reader.ReadLineAsync(linked.Token) is { } line)
            {
                onLine(line);
            }
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            timedOut = true;
        }
        catch
        {
            // The consumer rejected a line: stop the producer too.
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
        await Task.WhenAny(errDone.Task, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        watch.Stop();
        var err = stderr.ToString();
        return new ProcessResult(timedOut ? -1 : process.ExitCode, err, "", err, timedOut, watch.Elapsed);
    }
}
