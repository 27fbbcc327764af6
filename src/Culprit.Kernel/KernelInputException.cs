namespace Culprit.Kernel;

/// <summary>
/// A kernel input the user gave cannot be used at all: the .config (missing, empty, not a .config),
/// the compilers table or a compiler's name. The message is one line for the user.
/// </summary>
public sealed class KernelInputException(string message) : Exception(message);
