namespace Culprit.Machines.Tests;

/// <summary>QEMU's error output as it really reads, down to the one reason a log line names.</summary>
public sealed class QemuErrorTextTests
{
    [Fact]
    public void The_msr_error_of_nested_kvm_is_named_without_the_value_or_the_assertion_after_it()
    {
        const string stderr = """
            qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69
            qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.

            """;

        Assert.Equal("failed to set MSR 0x10a", QemuErrorText.Reason(stderr));
    }

    [Fact]
    public void A_missing_kvm_module_is_named_by_its_first_line()
    {
        const string stderr = """
            Could not access KVM kernel module: No such file or directory
            qemu-system-x86_64: -accel kvm: failed to initialize kvm: No such file or directory
            """;

        Assert.Equal("Could not access KVM kernel module: No such file or directory", QemuErrorText.Reason(stderr));
    }

    [Fact]
    public void The_option_qemu_was_parsing_is_dropped_from_its_message()
    {
        Assert.Equal("failed to initialize kvm: Permission denied",
            QemuErrorText.Reason("qemu-system-x86_64: -accel kvm: failed to initialize kvm: Permission denied\n"));
    }

    [Fact]
    public void Warnings_are_passed_over_for_the_error()
    {
        const string stderr = """
            qemu-system-x86_64: warning: host doesn't support requested feature: CPUID.01H:ECX.pni [bit 0]
            qemu-system-x86_64: error: failed to set MSR 0x48 to 0x1
            """;

        Assert.Equal("failed to set MSR 0x48", QemuErrorText.Reason(stderr));
    }

    [Fact]
    public void Only_warnings_or_nothing_is_no_reason()
    {
        Assert.Null(QemuErrorText.Reason("qemu-system-x86_64: warning: host doesn't support requested feature: CPUID.01H:ECX.pni [bit 0]\n"));
        Assert.Null(QemuErrorText.Reason(""));
    }

    [Fact]
    public void Without_a_message_the_reason_is_how_qemu_ended()
    {
        var timeout = TimeSpan.FromSeconds(30);

        Assert.Equal("qemu killed by signal 6", QemuErrorText.Describe("", 134, timedOut: false, timeout));
        Assert.Equal("qemu exited with status 1", QemuErrorText.Describe("\n", 1, timedOut: false, timeout));
        Assert.Equal("the probe VM reset before it reached 64-bit mode", QemuErrorText.Describe("", 0, timedOut: false, timeout));
        Assert.Equal("no answer within 30 s", QemuErrorText.Describe("", -1, timedOut: true, timeout));
        Assert.Equal("failed to set MSR 0x10a", QemuErrorText.Describe("qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\n", 134, timedOut: false, timeout));
    }
}
