namespace Culprit.Jobs;

/// <summary>
/// The command line asks for something that cannot be: an option out of its range, options that
/// exclude each other. Found before anything is looked at or written; the message is one line.
/// </summary>
public sealed class UsageException(string message) : Exception(message);
