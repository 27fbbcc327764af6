namespace Culprit.Kernel;

/// <summary>The kernel config the user gave cannot be used at all (missing, empty, not a .config).</summary>
public sealed class KernelConfigException(string message) : Exception(message);
