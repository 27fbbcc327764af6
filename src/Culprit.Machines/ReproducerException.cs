namespace Culprit.Machines;

/// <summary>The reproducer cannot be used (missing, does not compile, wrong kind of file); the message is one line.</summary>
public sealed class ReproducerException(string message) : Exception(message);
