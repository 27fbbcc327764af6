namespace Culprit.Processes;

/// <summary>
/// How a process ended. <see cref="Output"/> holds stdout and stderr interleaved as they arrived
/// (the tail, when there was more than the capture limit: the <c>...Truncated</c> flags say so, and a
/// caller whose decision reads the text refuses a cut one).
/// </summary>
public sealed record ProcessResult(int ExitCode, string Output, string StandardOutput, string StandardError, bool TimedOut, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary><see cref="Output"/> lost its head to the capture limit.</summary>
    public bool OutputTruncated { get; init; }

    /// <summary><see cref="StandardOutput"/> lost its head to the capture limit.</summary>
    public bool StandardOutputTruncated { get; init; }

    /// <summary><see cref="StandardError"/> lost its head to the capture limit.</summary>
    public bool StandardErrorTruncated { get; init; }

    /// <summary>The last <paramref name="count"/> non-empty lines of the output, for error messages.</summary>
    public string Tail(int count = 10)
    {
        var lines = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join('\n', lines.TakeLast(count));
    }
}
