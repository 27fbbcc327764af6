namespace Culprit.Jobs;

/// <summary>A job cannot start or go on because of its inputs; the message is one line for the user.</summary>
public sealed class JobException(string message) : Exception(message);
