namespace Culprit.Machines;

/// <summary>Test VMs cannot run here as asked (e.g. <c>--accel kvm</c> where KVM cannot run a VM); the message is one line.</summary>
public sealed class VmSetupException(string message) : Exception(message);
