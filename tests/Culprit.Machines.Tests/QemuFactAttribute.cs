namespace Culprit.Machines.Tests;

/// <summary>
/// A test that boots real VMs. It is skipped, with the reason, only where QEMU cannot run at all;
/// everything else it needs (the kernel, busybox) must be there and fails the test when it is not.
/// </summary>
public sealed class QemuFactAttribute : FactAttribute
{
    public QemuFactAttribute()
    {
        if (HostTools.Find(HostTools.DefaultQemu) is null)
        {
            Skip = "qemu-system-x86_64 is not installed (Debian package qemu-system-x86): cannot boot test VMs";
        }
    }
}
