using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Culprit.Processes;

/// <summary>
/// The one way Culprit starts processes: arguments as a vector, output captured (bounded), a
/// timeout, the whole process tree killed on timeout or cancellation, and whatever the process left
/// running (background children, daemons, <c>setsid</c> escapes) killed when it ends.
/// </summary>
public static partial class ProcessRunner
{
    /// <summary>How long output is still read after the process exited (children may hold the pipes).</summary>
    public static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(1);

    /// <summary>The longest the output is read after the run's leftovers were killed, while lines keep coming.</summary>
    public static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(60);

    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        var mark = Leftovers.NewMark();
        var psi = StartInfo(spec, mark);

        var all = new BoundedText(spec.MaxCapturedChars);
        var stdout = new BoundedText(spec.MaxCapturedChars);
        var stderr = new BoundedText(spec.MaxCapturedChars);
        using var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var outDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The process's own exit, not the end of its output: a background child that inherited the
        // pipes may keep them open long after the process is gone.
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = false;
        long delivered = 0;     // lines handed over so far
        var delivering = 0;     // 1 while a line is being handed over (OnLine may be slow)
        process.ErrorDataReceived += (_, e) => OnData(e.Data, stderr, errDone);
        process.Exited += (_, _) => exited.TrySetResult();

        var watch = Stopwatch.StartNew();
        var pid = Start(process, spec.FileName);
        var timedOut = false;
        Task? stdoutReader = null;
        try
        {
            spec.OnStarted?.Invoke(pid);
            // Standard output is read in large blocks on a thread of its own (as StreamLinesAsync reads):
            // the event reader's lock and thread-pool hop per line made a test printing 50 MB of short
            // lines spend seconds per run in them. Its end is the end of the pipe, as the event reader's.
            stdoutReader = Task.Factory.StartNew(() => ReadOutput(process.StandardOutput), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            process.BeginErrorReadLine();
            await WriteInputAsync(process, spec);

            using var timeout = spec.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await exited.Task.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                KillTree(process);
                await exited.Task;
                if (cancellationToken.IsCancellationRequested)
                {
                    // The output reader may still be reading what the pipe holds: none of it goes to OnLine after this.
                    lock (all)
                    {
                        finished = true;
                    }
                    throw;
                }
                timedOut = true;
            }
            // Read what is left in the pipes for a bounded time: what the process wrote before it
            // exited comes at once, but children that keep the pipes open must not hold the run.
            await DrainAsync();
        }
        finally
        {
            // Nothing the run started outlives it; once killed, they close their ends of the pipes.
            Leftovers.Kill(mark);
            Leftovers.Forget(pid);
        }
        await DrainWhileDeliveringAsync();
        if (stdoutReader is { IsFaulted: true })
        {
            // The line consumer failed: what it threw is the run's error, not a silently shorter output.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(stdoutReader.Exception!.InnerException!);
        }
        watch.Stop();
        string allText;
        lock (all)
        {
            finished = true;
            allText = all.ToString();
        }
        return new ProcessResult(timedOut ? -1 : process.ExitCode, allText, stdout.ToString(), stderr.ToString(), timedOut, watch.Elapsed)
        {
            OutputTruncated = all.Truncated,
            StandardOutputTruncated = stdout.Truncated,
            StandardErrorTruncated = stderr.Truncated,
        };

        Task DrainAsync() =>
            Task.WhenAny(Task.WhenAll(outDone.Task, errDone.Task), Task.Delay(DrainTime, CancellationToken.None));

        // Once what the run left is killed, the rest of the output is what the process wrote before it
        // exited (a pipe's worth): read it to its end while lines keep being delivered, so a slow
        // OnLine reader (a crash parser on a loaded machine) loses none. Only a process that escaped
        // the kill and holds the pipe in silence (or writes on for DrainLimit) ends it early.
        async Task DrainWhileDeliveringAsync()
        {
            var eof = Task.WhenAll(outDone.Task, errDone.Task);
            var limit = Stopwatch.StartNew();
            while (limit.Elapsed < DrainLimit)
            {
                var seen = Volatile.Read(ref delivered);
                if (await Task.WhenAny(eof, Task.Delay(DrainTime, CancellationToken.None)) == eof)
                {
                    return;
                }
                if (Volatile.Read(ref delivered) == seen && Volatile.Read(ref delivering) == 0)
                {
                    return;
                }
            }
        }

        void ReadOutput(StreamReader output)
        {
            var consuming = false;
            try
            {
                ReadLines(output, line =>
                {
                    consuming = true;
                    OnData(line.ToString(), stdout, outDone);
                    consuming = false;
                });
            }
            catch (Exception e) when (!consuming && e is IOException or ObjectDisposedException)
            {
                // The pipe was closed under the reader (the run is over and its process disposed).
            }
            catch when (consuming)
            {
                // The line consumer failed: nothing reads the pipe any more, so the process must not write on.
                KillTree(process);
                throw;
            }
            finally
            {
                outDone.TrySetResult();
            }
        }

        void OnData(string? line, BoundedText own, TaskCompletionSource done)
        {
            if (line is null)
            {
                done.TrySetResult();
                return;
            }
            lock (all)
            {
                if (finished)
                {
                    return;
                }
                own.AppendLine(line);
                all.AppendLine(line);
                // Under the lock: one call at a time, in the order of the interleaved output.
                Interlocked.Increment(ref delivering);
                try
                {
                    spec.OnLine?.Invoke(line);
                }
                finally
                {
                    Interlocked.Decrement(ref delivering);
                    Interlocked.Increment(ref delivered);
                }
            }
        }
    }

    /// <summary>
    /// Kills every process still running below this one, such as orphans that cleared their
    /// environment and so escaped their run's cleanup; for a program's exit.
    /// </summary>
    public static void KillAllLeftovers() => Leftovers.KillAll();

    /// <summary>
    /// How every command starts: its argv (never shell text), directory and environment, with the
    /// mark that finds whatever it leaves running (<see cref="Leftovers"/>).
    /// </summary>
    private static ProcessStartInfo StartInfo(ProcessSpec spec, string mark)
    {
        var psi = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in spec.Arguments)
        {
            psi.ArgumentList.Add(a);
        }
        if (spec.WorkingDirectory is not null)
        {
            psi.WorkingDirectory = spec.WorkingDirectory;
        }
        foreach (var (k, v) in spec.Environment)
        {
            if (v is null)
            {
                psi.Environment.Remove(k);
            }
            else
            {
                psi.Environment[k] = v;
            }
        }
        psi.Environment[Leftovers.Variable] = Leftovers.EnvironmentValue(mark);
        return psi;
    }

    /// <summary>Gives the process its standard input (if any) and closes it; a process that exits without reading it is no error.</summary>
    private static async Task WriteInputAsync(Process process, ProcessSpec spec)
    {
        try
        {
            if (spec.StandardInput is not null)
            {
                await process.StandardInput.WriteAsync(spec.StandardInput);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited without reading its input; its exit status tells the rest.
        }
    }

    /// <summary>Starts a process so that the leftover reaper never takes it for an orphan.</summary>
    private static int Start(Process process, string fileName)
    {
        try
        {
            return Leftovers.Start(() =>
            {
                process.Start();
                return process.Id;
            });
        }
        catch (Win32Exception ex)
        {
            throw new ProcessStartException($"cannot run {fileName}: {ex.Message}", ex);
        }
    }

    /// <summary>Runs and throws <see cref="ProcessFailedException"/> unless it exits 0.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(spec, cancellationToken);
        if (!result.Succeeded)
        {
            var what = result.TimedOut ? "timed out" : $"exited with status {result.ExitCode}";
            var tail = result.Tail(5).Replace('\n', ' ');
            throw new ProcessFailedException($"{Path.GetFileName(spec.FileName)} {string.Join(' ', spec.Arguments.Take(3))} {what}: {tail}", result);
        }
        return result;
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Keeps the last <c>limit</c> characters appended, and whether any were dropped.</summary>
    private sealed class BoundedText(int limit)
    {
        private readonly StringBuilder _text = new();
        private bool _truncated;

        /// <summary>Text was dropped: what is kept is not all of the output.</summary>
        public bool Truncated
        {
            get
            {
                lock (_text)
                {
                    return _truncated;
                }
            }
        }

        public void AppendLine(string line)
        {
            if (limit <= 0)
            {
                // Nothing is kept (the lines go to OnLine): no lock per line.
                _truncated = true;
                return;
            }
            lock (_text)
            {
                _text.Append(line).Append('\n');
                if (_text.Length > limit + limit / 4)
                {
                    _text.Remove(0, _text.Length - limit);
                    _truncated = true;
                }
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
