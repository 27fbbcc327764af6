namespace Culprit.Processes;

/// <summary>
/// A process to start: the program and its arguments (passed as an argument vector, never through a
/// shell), where it runs, extra environment, a timeout and an optional line callback.
/// </summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a null value removes the variable).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public TimeSpan? Timeout { get; init; }

    /// <summary>Text written to the process's standard input, which is then closed.</summary>
    public string? StandardInput { get; init; }

    /// <summary>
    /// Called for every line of stdout or stderr as it arrives, one call at a time and in the order of
    /// <see cref="ProcessResult.Output"/>, whatever the capture limit: a caller that must see all of a
    /// long output reads it here (a slow callback slows the process, never loses a line).
    /// </summary>
    public Action<string>? OnLine { get; init; }

    /// <summary>Called with the process id once the process has started (to signal it from outside).</summary>
    public Action<int>? OnStarted { get; init; }

    /// <summary>
    /// Keep at most this many characters of output (the tail), so chatty builds cannot eat memory;
    /// the result's <c>...Truncated</c> flags say when text was dropped. 0 keeps none (for callers
    /// that read <see cref="OnLine"/>).
    /// </summary>
    public int MaxCapturedChars { get; init; } = 8 * 1024 * 1024;

    public static ProcessSpec Of(string fileName, params string[] arguments) => new(fileName, arguments);

    /// <summary>A command line run by <c>/bin/sh -c</c>; for commands the user wrote, never for paths or revisions.</summary>
    public static ProcessSpec Shell(string commandLine) => new("/bin/sh", ["-c", commandLine]);
}
