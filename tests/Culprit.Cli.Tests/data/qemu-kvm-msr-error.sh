#!/bin/sh
# The QEMU of a machine whose /dev/kvm opens but whose KVM cannot set up a vCPU (nested
# virtualization): every `-accel kvm` VM fails the way QEMU fails there; TCG VMs run the real QEMU.
prev=
for arg in "$@"; do
    if [ "$prev" = -accel ] && [ "$arg" = kvm ]; then
        echo 'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69' >&2
        exit 134
    fi
    prev=$arg
done
exec qemu-system-x86_64 "$@"
