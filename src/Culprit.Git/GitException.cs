namespace Culprit.Git;

/// <summary>A git problem the user must fix (unknown revision, not a repository); the message is one line.</summary>
public sealed class GitException(string message) : Exception(message);
