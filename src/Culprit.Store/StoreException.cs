namespace Culprit.Store;

/// <summary>A store that cannot be used (locked, corrupt, unknown job); the message is one line.</summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);
