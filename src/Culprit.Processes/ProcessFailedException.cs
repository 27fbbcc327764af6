namespace Culprit.Processes;

/// <summary>A process that had to succeed did not; the message names it and ends with its output's tail.</summary>
public sealed class ProcessFailedException(string message, ProcessResult result) : Exception(message)
{
    public ProcessResult Result { get; } = result;
}
