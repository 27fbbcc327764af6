namespace Culprit.Processes;

/// <summary>
/// How a process ended. <see cref="Output"/> holds stdout and stderr interleaved as they arrived
/// (the tail, when there was more than the capture limit).
/// </summary>
public sealed record ProcessResult(int ExitCode, string Output, string StandardOutput, string StandardError, bool TimedOut, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The last <paramref name="count"/> non-empty lines of the output, for error messages.</summary>
    public string Tail(int count = 10)
    {
        var lines = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join('\n', lines.TakeLast(count));
    }
}
