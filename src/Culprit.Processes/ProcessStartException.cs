namespace Culprit.Processes;

/// <summary>The program could not be started at all (not installed, not executable).</summary>
public sealed class ProcessStartException(string message, Exception inner) : Exception(message, inner);
