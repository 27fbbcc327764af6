using System.Collections.Concurrent;
using System.CommandLine;
using Culprit.Processes;

namespace Culprit.Service.Tests;

/// <summary><c>culprit serve</c> started as a real child process on a free port, killed (with its jobs' processes) when disposed.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    public const string Ready = "culprit serve: listening on ";
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _lines = new();
    private Task<ProcessResult>? _run;
    private bool _disposed;

    public string Url { get; private set; } = "";

    /// <summary>The node's <c>--work</c> directory.</summary>
    public string Work { get; private set; } = "";

    /// <summary>The node's process id (to kill it as a machine dies, in the cluster tests).</summary>
    public int Pid { get; private set; }

    public string Output => string.Join('\n', _lines);

    public static async Task<ServeProcess> StartAsync(string work, params string[] extra)
    {
        var serve = new ServeProcess { Work = work };
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var spec = Cli(["serve", "--urls", "http://127.0.0.1:0", "--work", work, .. extra]) with
        {
            OnStarted = pid => serve.Pid = pid,
            OnLine = line =>
            {
                serve._lines.Enqueue(line);
                if (line.StartsWith(Ready, StringComparison.Ordinal))
                {
                    listening.TrySetResult(line[Ready.Length..].Split(' ')[0]);
                }
            },
        };
        serve._run = ProcessRunner.RunAsync(spec, serve._stop.Token);
        var first = await Task.WhenAny(listening.Task, serve._run, Task.Delay(TimeSpan.FromSeconds(90)));
        if (first != listening.Task)
        {
            await serve.DisposeAsync();
            throw new InvalidOperationException($"culprit serve did not start:\n{serve.Output}");
        }
        serve.Url = await listening.Task;
        return serve;
    }

    /// <summary>The CLI as built next to the tests, as its own process.</summary>
    public static ProcessSpec Cli(params string[] args) => new("dotnet", [Path.Combine(AppContext.BaseDirectory, "culprit.dll"), .. args]);

    /// <summary>A command of the CLI run in this process (client commands: submit, show, jobs…).</summary>
    public static async Task<(int Exit, string Output, string Error)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Culprit.Cli.Program.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Kills the node's process tree; again is a no-op (a test kills its nodes mid-way and again in its cleanup).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _stop.CancelAsync();
        try
        {
            if (_run is not null)
            {
                await _run;
            }
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
